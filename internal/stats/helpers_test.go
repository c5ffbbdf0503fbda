package stats

import (
	"context"
	"testing"
	"time"

	"github.com/mvm-dev/mvm/internal/state"
)

func storeIn(t *testing.T) state.Store {
	t.Helper()
	return state.Store{Dir: t.TempDir()}
}

func contextAfter(t *testing.T, d time.Duration) (context.Context, context.CancelFunc) {
	t.Helper()
	return context.WithTimeout(t.Context(), d)
}

type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
