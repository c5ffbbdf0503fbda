package exec

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCmdString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cmd  Cmd
		want string
	}{
		{"plain", Cmd{Args: []string{"go", "build", "./cmd/mvm"}}, "go build ./cmd/mvm"},
		{"env first", Cmd{Env: []string{"GOOS=linux"}, Args: []string{"go", "env"}}, "GOOS=linux go env"},
		{"spaces quoted", Cmd{Args: []string{"echo", "a b"}}, "echo 'a b'"},
		{"single quote", Cmd{Args: []string{"echo", "it's"}}, `echo 'it'\''s'`},
		{"empty arg", Cmd{Args: []string{"echo", ""}}, "echo ''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.cmd.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRunKeepsOutputOnFailure(t *testing.T) {
	t.Parallel()
	_, err := Run(context.Background(), Cmd{Args: []string{"sh", "-c", "echo first; echo broken >&2; exit 3"}})

	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if !strings.Contains(string(e.Output), "broken") || !strings.HasSuffix(err.Error(), ": broken") {
		t.Errorf("error %q lost the command's output %q", err, e.Output)
	}
}

func TestCancelInterruptsFirst(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(200 * time.Millisecond); cancel() }()

	// The script exits 0 on SIGINT: if it were killed instead, it would
	// never print "cleaned".
	out, err := Run(ctx, Cmd{Args: []string{"sh", "-c", `trap 'echo cleaned; exit 0' INT; while :; do sleep 0.05; done`}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if !strings.Contains(string(out), "cleaned") {
		t.Errorf("output %q: the command was not interrupted before it was stopped", out)
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	_, err := Output(context.Background(), Cmd{Args: []string{"mvm-no-such-program"}})
	if !IsNotFound(err) {
		t.Errorf("IsNotFound(%v) = false", err)
	}
}
