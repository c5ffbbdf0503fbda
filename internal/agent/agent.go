package agent

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"syscall"
	"time"
)

// Agent supervises one desktop.
type Agent struct {
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	auth    *auth
	reaper  *reaper
	start   time.Time
}

// New returns an agent for cfg. start is when the process began, the zero
// point of the start-phase timings.
func New(cfg Config, log *slog.Logger, start time.Time) *Agent {
	m := NewMetrics(start)
	return &Agent{
		cfg:     cfg,
		log:     log,
		metrics: m,
		auth:    newAuth(cfg.TokenHash, &m.authFailed),
		start:   start,
	}
}

// stopGrace is how long children get to exit after SIGTERM before they are
// killed; the whole shutdown stays within the 2 s a container runtime
// usually waits before it kills PID 1 itself.
const stopGrace = 1500 * time.Millisecond

// Run starts the desktop and serves it until ctx ends, then stops every
// process it started and returns.
func (a *Agent) Run(ctx context.Context) error {
	if err := os.MkdirAll(a.cfg.RunDir, 0o700); err != nil {
		return fmt.Errorf("create run directory: %w", err)
	}
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", a.cfg.Listen, err)
	}
	a.phase("http_listening")
	if a.cfg.VNCListen != "" {
		vln, err := net.Listen("tcp", a.cfg.VNCListen)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen for VNC viewers on %s: %w", a.cfg.VNCListen, err)
		}
		go a.serveVNC(ctx, vln)
	}

	a.reaper = newReaper()
	work, stopWork := context.WithCancel(ctx)
	defer stopWork()
	for _, c := range a.children() {
		go c.run(work)
	}

	err = a.serve(ctx, ln)
	stopWork()
	a.stopAll()
	a.log.Info("stopped", "uptime_s", time.Since(a.start).Seconds())
	return err
}

func (a *Agent) children() []*child {
	env := append(os.Environ(), "DISPLAY=:"+itoa(a.cfg.Display))
	xvnc := &child{
		name:   "xvnc",
		argv:   a.xvncArgs(),
		env:    env,
		before: a.clearStaleX,
		started: func(time.Time) {
			a.phase("xvnc_started")
			go a.watchReady()
		},
	}
	session := &child{
		name: "session",
		argv: a.cfg.Session,
		env:  env,
		before: func(ctx context.Context) error {
			return waitSocket(ctx, a.x11Socket())
		},
		started: func(time.Time) { a.phase("session_started") },
	}
	for _, c := range []*child{xvnc, session} {
		c.log, c.metrics, c.reaper = a.log, a.metrics, a.reaper
	}
	return []*child{xvnc, session}
}

// watchReady records when Xvnc first answers on its VNC socket.
func (a *Agent) watchReady() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if waitSocket(ctx, a.vncSocket()) == nil {
		a.phase("xvnc_ready")
	}
}

func (a *Agent) phase(name string) {
	d := a.metrics.phase(name, time.Now())
	a.log.Info("start phase", "phase", name, "since_start_ms", d.Milliseconds())
}

// stopAll sends SIGTERM to every process of the desktop, waits up to
// stopGrace, then kills what is left. As PID 1 it signals the whole container
// (kill -1), which reaches the applications Openbox started too; outside a
// container it signals only the process groups it started.
func (a *Agent) stopAll() {
	a.signalAll(syscall.SIGTERM)
	if a.reaper.waitIdle(stopGrace) {
		return
	}
	a.signalAll(syscall.SIGKILL)
	a.reaper.waitIdle(300 * time.Millisecond)
}

func (a *Agent) signalAll(sig syscall.Signal) {
	if os.Getpid() == 1 {
		_ = syscall.Kill(-1, sig)
		return
	}
	a.reaper.signalGroups(sig)
}
