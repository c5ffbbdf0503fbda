package minikube

import (
	"context"
	"errors"
	"fmt"
	"regexp"

	"github.com/mvm-dev/mvm/internal/exec"
)

// Runner runs minikube; tests replace it to check the argv and to answer
// with recorded output.
type Runner interface {
	// Output runs the command and returns its standard output.
	Output(ctx context.Context, c exec.Cmd) ([]byte, error)
}

// ExecRunner runs commands through internal/exec.
type ExecRunner struct{}

// Output runs c.
func (ExecRunner) Output(ctx context.Context, c exec.Cmd) ([]byte, error) {
	return exec.Output(ctx, c)
}

// ErrNotInstalled means minikube is not on PATH.
var ErrNotInstalled = errors.New("minikube is not installed: get it from " +
	"https://minikube.sigs.k8s.io/docs/start/ (or use `mvm kind`, which needs only Docker)")

// CLI is the minikube command line of one profile.
type CLI struct {
	// Binary is the minikube program.
	Binary string
	// Profile is the minikube profile (-p), which is also its kube context.
	Profile string
	Runner  Runner
}

// Find locates minikube on PATH, or returns [ErrNotInstalled].
func Find(profile string) (*CLI, error) {
	bin, err := exec.LookPath("minikube")
	if err != nil {
		return nil, ErrNotInstalled
	}
	return &CLI{Binary: bin, Profile: profile, Runner: ExecRunner{}}, nil
}

// run runs minikube with args after the profile flag.
func (m *CLI) run(ctx context.Context, args ...string) ([]byte, error) {
	argv := append([]string{m.Binary, "-p", m.Profile}, args...)
	out, err := m.Runner.Output(ctx, exec.Cmd{Args: argv})
	if err != nil {
		return out, fmt.Errorf("minikube profile %s: %w", m.Profile, err)
	}
	return out, nil
}

// execCmd is a command without the profile flag.
func execCmd(bin string, args ...string) exec.Cmd {
	return exec.Cmd{Args: append([]string{bin}, args...)}
}

// profileRE is what mvm accepts as a profile name: minikube names a Docker
// container, a network and a kube context after it.
var profileRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,48}[a-z0-9])?$`)

// ValidateProfile checks a profile name before minikube is asked anything.
func ValidateProfile(name string) error {
	if !profileRE.MatchString(name) {
		return fmt.Errorf("invalid minikube profile name %q: use up to 50 lowercase letters, digits "+
			"and inner dashes, for example mvm", name)
	}
	return nil
}
