package exec

import (
	"context"
	"errors"
	"os"
	osexec "os/exec"
	"syscall"
	"time"
)

// Process is a command started in the background, such as a browser that a
// test drives.
type Process struct {
	cmd  *osexec.Cmd
	done chan error
}

// Start starts the command without waiting for it. Its output goes to
// c.Stream if set. Stop ends it.
func Start(ctx context.Context, c Cmd) (*Process, error) {
	if len(c.Args) == 0 {
		return nil, errors.New("no command given")
	}
	cmd := osexec.CommandContext(ctx, c.Args[0], c.Args[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.Stdin = c.Stdin
	cmd.Stdout, cmd.Stderr = c.Stream, c.Stream
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM) }
	cmd.WaitDelay = GracePeriod

	if err := cmd.Start(); err != nil {
		return nil, &Error{Cmd: c, Err: err}
	}
	p := &Process{cmd: cmd, done: make(chan error, 1)}
	go func() { p.done <- cmd.Wait() }()
	return p, nil
}

// Stop sends SIGTERM to the process group, waits up to grace, then kills it.
func (p *Process) Stop(grace time.Duration) {
	pgid := -p.cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-p.done
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case err := <-p.done:
		p.done <- err
		return true
	default:
		return false
	}
}
