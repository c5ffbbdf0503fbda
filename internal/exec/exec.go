// Package exec is the one place where mvm runs other programs. Every command
// takes a context; cancelling it sends an interrupt first, so that tools such
// as kind, minikube and go can clean up, and kills only after a grace period.
// A failed command returns an [*Error] that keeps the command line and its
// output.
package exec

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	osexec "os/exec"
	"strings"
	"time"
)

// Cmd describes one command to run.
type Cmd struct {
	// Args is the program and its arguments.
	Args []string
	// Dir is the working directory; empty means the current one.
	Dir string
	// Env is added to the process environment; later entries win.
	Env []string
	// Stdin, if set, is the command's standard input.
	Stdin io.Reader
	// Stream, if set, receives the output as it is produced (for example a
	// logger writer at V(2)), in addition to it being captured.
	Stream io.Writer
}

// String renders the command so that it can be pasted into a shell.
func (c Cmd) String() string {
	parts := make([]string, 0, len(c.Env)+len(c.Args))
	for _, e := range c.Env {
		parts = append(parts, quote(e))
	}
	for _, a := range c.Args {
		parts = append(parts, quote(a))
	}
	return strings.Join(parts, " ")
}

// Error is a command that could not start or exited unsuccessfully.
type Error struct {
	Cmd    Cmd
	Output []byte
	Err    error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %v", e.Cmd.Args[0], e.Err)
	if tail := lastLine(e.Output); tail != "" {
		msg += ": " + tail
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// GracePeriod is how long a cancelled command has after its interrupt before
// it is killed.
const GracePeriod = 10 * time.Second

// Output runs the command and returns its standard output; standard error is
// kept for the error only.
func Output(ctx context.Context, c Cmd) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := run(ctx, c, &stdout, &stderr)
	if err != nil {
		return stdout.Bytes(), &Error{Cmd: c, Output: stderr.Bytes(), Err: err}
	}
	return stdout.Bytes(), nil
}

// Run runs the command and returns its combined output.
func Run(ctx context.Context, c Cmd) ([]byte, error) {
	var out bytes.Buffer
	err := run(ctx, c, &out, &out)
	if err != nil {
		return out.Bytes(), &Error{Cmd: c, Output: out.Bytes(), Err: err}
	}
	return out.Bytes(), nil
}

func run(ctx context.Context, c Cmd, stdout, stderr io.Writer) error {
	if len(c.Args) == 0 {
		return errors.New("no command given")
	}

	cmd := osexec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = c.Stdin
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if c.Stream != nil {
		cmd.Stdout = io.MultiWriter(stdout, c.Stream)
		cmd.Stderr = io.MultiWriter(stderr, c.Stream)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = GracePeriod

	err := cmd.Run()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// LookPath reports the path of a program on PATH.
func LookPath(name string) (string, error) {
	return osexec.LookPath(name)
}

// IsNotFound reports whether err says that a program is not on PATH.
func IsNotFound(err error) bool {
	return errors.Is(err, osexec.ErrNotFound)
}

func quote(s string) string {
	if s != "" && strings.IndexFunc(s, needsQuote) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func needsQuote(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("-_./=:,@+%", r))
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
