package agent

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"
)

// child is one supervised program: started, restarted with backoff when it
// dies, and stopped on shutdown. Its output becomes JSON log lines.
type child struct {
	name string
	argv []string
	env  []string
	// before runs ahead of every start, for example to wait for the X server
	// or to clear the stale lock a killed Xvnc leaves behind.
	before func(ctx context.Context) error
	// started is called with the time of each successful start.
	started func(t time.Time)

	log      *slog.Logger
	metrics  *Metrics
	reaper   *reaper
	mu       sync.Mutex
	pid      int
	restarts int
}

// Backoff between restarts of a child that keeps dying; a child that ran for
// stableAfter starts again from the minimum.
const (
	minBackoff  = 50 * time.Millisecond
	maxBackoff  = 5 * time.Second
	stableAfter = 10 * time.Second
)

// run keeps the child running until ctx ends.
func (c *child) run(ctx context.Context) {
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		status, err := c.once(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			c.log.Error("child did not start", "child", c.name, "err", err.Error())
		} else {
			c.log.Warn("child exited", "child", c.name, "status", describe(status))
		}

		if time.Since(began) > stableAfter {
			backoff = minBackoff
		}
		if !sleep(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, maxBackoff)
		c.metrics.restart(c.name)
		c.mu.Lock()
		c.restarts++
		c.mu.Unlock()
	}
}

// once starts the child and waits for it to exit.
func (c *child) once(ctx context.Context) (syscall.WaitStatus, error) {
	if c.before != nil {
		if err := c.before(ctx); err != nil {
			return 0, err
		}
	}

	out, w, err := os.Pipe()
	if err != nil {
		return 0, err
	}
	exited, pid, err := c.reaper.start(c.argv, c.env, w)
	w.Close()
	if err != nil {
		out.Close()
		return 0, err
	}
	go c.copyLog(out)

	c.setPID(pid)
	if c.started != nil {
		c.started(time.Now())
	}
	status := <-exited
	c.setPID(0)
	return status, nil
}

func (c *child) setPID(pid int) {
	c.mu.Lock()
	c.pid = pid
	c.mu.Unlock()
}

// signal sends sig to the running child, if any.
func (c *child) signal(sig syscall.Signal) {
	c.mu.Lock()
	pid := c.pid
	c.mu.Unlock()
	if pid > 0 {
		_ = syscall.Kill(pid, sig)
	}
}

// copyLog turns the child's output into log lines until the pipe closes,
// which happens when the child and everything it started have exited.
func (c *child) copyLog(r io.ReadCloser) {
	defer r.Close()

	s := bufio.NewScanner(r)
	s.Buffer(make([]byte, 0, 4096), 64<<10)
	for s.Scan() {
		c.log.Info(s.Text(), "child", c.name)
	}
}

func describe(ws syscall.WaitStatus) string {
	switch {
	case ws.Exited():
		return "exit " + itoa(ws.ExitStatus())
	case ws.Signaled():
		return "killed by " + ws.Signal().String()
	default:
		return "stopped"
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// sleep waits for d or until ctx ends, and reports whether it slept fully.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
