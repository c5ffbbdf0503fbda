package kind

import (
	"fmt"

	kindlog "sigs.k8s.io/kind/pkg/log"

	"github.com/mvm-dev/mvm/internal/log"
)

// kindLogger shows kind's own messages one verbosity level below mvm's, so
// that its progress lines appear only with -v: mvm prints its own steps.
type kindLogger struct{ l *log.Logger }

var _ kindlog.Logger = kindLogger{}

func (k kindLogger) Warn(msg string)                   { k.l.V(1).Info("kind: " + msg) }
func (k kindLogger) Warnf(format string, args ...any)  { k.Warn(fmt.Sprintf(format, args...)) }
func (k kindLogger) Error(msg string)                  { k.l.V(1).Info("kind: " + msg) }
func (k kindLogger) Errorf(format string, args ...any) { k.Error(fmt.Sprintf(format, args...)) }

func (k kindLogger) V(level kindlog.Level) kindlog.InfoLogger {
	return kindInfo{v: k.l.V(int(level) + 1)}
}

type kindInfo struct{ v log.Verbose }

func (i kindInfo) Info(msg string)                  { i.v.Info("kind: " + msg) }
func (i kindInfo) Infof(format string, args ...any) { i.Info(fmt.Sprintf(format, args...)) }
func (i kindInfo) Enabled() bool                    { return i.v.Enabled() }
