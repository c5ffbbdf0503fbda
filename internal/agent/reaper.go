package agent

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// reaper starts processes and collects the exit status of every child of the
// agent, including orphans reparented to it. As PID 1 of a container the agent
// inherits every process whose parent died (a terminal's shell, a browser's
// helpers), and zombies pile up unless someone waits for them. One loop calls
// wait4(-1) for all of them; the statuses of processes the agent started are
// handed back to their owners.
type reaper struct {
	mu      sync.Mutex
	waiting map[int]chan syscall.WaitStatus
	sigs    chan os.Signal
}

// newReaper makes the agent a child subreaper (so orphans come to it even when
// it is not PID 1, as in tests) and starts collecting exit statuses.
func newReaper() *reaper {
	_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

	r := &reaper{
		waiting: map[int]chan syscall.WaitStatus{},
		sigs:    make(chan os.Signal, 16),
	}
	signal.Notify(r.sigs, syscall.SIGCHLD)
	go r.loop()
	return r
}

// start starts argv with env, its stdout and stderr on out, and returns a
// channel that receives its exit status.
func (r *reaper) start(argv, env []string, out *os.File) (<-chan syscall.WaitStatus, int, error) {
	done := make(chan syscall.WaitStatus, 1)

	// Holding the lock across the start means the loop cannot reap this child
	// before its channel is registered.
	r.mu.Lock()
	defer r.mu.Unlock()

	p, err := os.StartProcess(lookPath(argv[0]), argv, &os.ProcAttr{
		Env:   env,
		Files: []*os.File{nil, out, out},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		return nil, 0, err
	}
	r.waiting[p.Pid] = done
	pid := p.Pid
	_ = p.Release() // the loop waits for it; keep no pidfd open
	return done, pid, nil
}

func (r *reaper) loop() {
	for range r.sigs {
		r.reapAll()
	}
}

// reapAll waits for every child that has exited. SIGCHLD signals coalesce, so
// one signal may stand for several exits.
func (r *reaper) reapAll() {
	for {
		var ws syscall.WaitStatus
		r.mu.Lock()
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			r.mu.Unlock()
			return
		}
		if ch, ok := r.waiting[pid]; ok {
			delete(r.waiting, pid)
			ch <- ws
		}
		r.mu.Unlock()
	}
}

// waitIdle waits until every process the reaper started has been reaped, or
// for at most d, and reports whether they all were.
func (r *reaper) waitIdle(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for {
		r.reapAll()
		r.mu.Lock()
		n := len(r.waiting)
		r.mu.Unlock()
		if n == 0 {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// signalGroups sends sig to the process group of every running child; each
// was started in a group of its own.
func (r *reaper) signalGroups(sig syscall.Signal) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for pid := range r.waiting {
		_ = syscall.Kill(-pid, sig)
	}
}
