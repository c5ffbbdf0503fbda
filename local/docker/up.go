package docker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/internal/state"
)

// Target is the name of this target in state and output.
const Target = "docker"

// UpOptions configure [Up].
type UpOptions struct {
	// Spec is the desktop to run; its TokenHash is filled in by Up.
	Spec Spec
	// ImageID is the engine's ID of Spec.Image, to tell whether an existing
	// desktop runs the current image.
	ImageID string
	// VNC opens a port for native VNC viewers, with a fresh password.
	VNC bool
	// Recreate replaces an existing desktop that differs from Spec even when
	// its home is not persistent and would be lost.
	Recreate bool
	// Timeout bounds the wait for the first frame.
	Timeout time.Duration
	Store   state.Store
	Logger  *log.Logger
}

// Action says what Up did.
type Action string

// Actions of [Up].
const (
	Created   Action = "created"
	Recreated Action = "recreated"
	Started   Action = "started"
	Reused    Action = "reused"
)

// UpResult is a ready desktop.
type UpResult struct {
	Desktop *Desktop
	Token   string
	// VNCPassword is the password of the VNC port, when there is one.
	VNCPassword string
	Action      Action
	Timer       *desktop.Timer
	Frame       *probe.Frame
}

// URL is the address to open, with the token.
func (r *UpResult) URL() string { return desktop.URLWithToken(r.Desktop.URL(), r.Token) }

// Up makes sure the desktop of o.Spec runs and serves its first frame: it
// reuses a matching desktop, starts a stopped one, and creates or replaces
// one otherwise. A desktop it creates and cannot bring up is removed again.
func Up(ctx context.Context, e Engine, o UpOptions) (*UpResult, error) {
	existing, err := Find(ctx, e, o.Spec.Name)
	if err != nil {
		return nil, err
	}
	if existing != nil {
		return reuse(ctx, e, existing, o)
	}
	return create(ctx, e, o, Created)
}

func reuse(ctx context.Context, e Engine, d *Desktop, o UpOptions) (*UpResult, error) {
	rec, recErr := o.Store.Desktop(Target, d.Name)
	diff := differences(d, o, recErr)
	if len(diff) == 0 {
		return restart(ctx, e, d, rec, o)
	}
	if !d.Persist && !o.Recreate {
		return nil, fmt.Errorf("desktop %s exists with %s: its home is not persistent, so replacing it "+
			"would lose its files; pass --recreate to replace it anyway, or --name for a second desktop",
			d.Name, strings.Join(diff, ", "))
	}

	step := o.Logger.StartStep("Replacing desktop " + d.Name + " (" + strings.Join(diff, ", ") + ")")
	err := Remove(ctx, e, d.Name, RemoveOptions{})
	step.Done(err)
	if err != nil {
		return nil, err
	}
	return create(ctx, e, o, Recreated)
}

// differences lists why an existing desktop does not match what was asked.
func differences(d *Desktop, o UpOptions, recErr error) []string {
	var diff []string
	if d.ImageID != o.ImageID {
		diff = append(diff, "an older image")
	}
	if d.Resolution != o.Spec.Resolution {
		diff = append(diff, "resolution "+d.Resolution)
	}
	if d.Persist != o.Spec.Persist {
		diff = append(diff, fmt.Sprintf("persist=%t", d.Persist))
	}
	if o.Spec.Port != 0 && d.Port != o.Spec.Port {
		diff = append(diff, fmt.Sprintf("port %d", d.Port))
	}
	if (d.VNCPort != 0) != o.VNC {
		diff = append(diff, fmt.Sprintf("vnc=%t", d.VNCPort != 0))
	}
	if recErr != nil {
		diff = append(diff, "no recorded token")
	}
	return diff
}

// restart starts a stopped desktop, or only probes a running one.
func restart(ctx context.Context, e Engine, d *Desktop, rec state.Desktop, o UpOptions) (*UpResult, error) {
	t := desktop.NewTimer()
	action := Reused
	if !d.Running() {
		action = Started
		if err := Start(ctx, e, d.ContainerID, o.Spec.Port); err != nil {
			return nil, err
		}
		t.Mark("start", time.Time{})
		var err error
		if d, err = Find(ctx, e, d.Name); err != nil {
			return nil, err
		}
	}

	res := &UpResult{Desktop: d, Token: rec.Token, VNCPassword: rec.VNCPassword, Action: action, Timer: t}
	if err := awaitReady(ctx, e, res, o); err != nil {
		return nil, err
	}
	return res, record(o, res, false)
}

func create(ctx context.Context, e Engine, o UpOptions, action Action) (res *UpResult, err error) {
	if err := CheckPort(o.Spec.Port); err != nil {
		return nil, err
	}
	token, err := desktop.NewToken()
	if err != nil {
		return nil, err
	}
	o.Spec.TokenHash = agent.HashToken(token)
	if err := prepareRuntime(ctx, e, &o); err != nil {
		return nil, err
	}
	if o.VNC {
		if o.Spec.VNCPassword, err = desktop.NewVNCPassword(); err != nil {
			return nil, err
		}
	}

	t := desktop.NewTimer()
	id, newVolume, err := Create(ctx, e, o.Spec)
	if err != nil {
		return nil, err
	}
	t.Mark("create", time.Time{})
	defer func() {
		if err != nil {
			if cerr := cleanup(ctx, e, o.Spec.Name, newVolume); cerr != nil {
				err = errors.Join(err, cerr)
			}
		}
	}()

	res, err = startNew(ctx, e, id, token, t, o)
	if err != nil {
		return nil, err
	}
	res.Action = action
	res.VNCPassword = o.Spec.VNCPassword
	return res, record(o, res, true)
}

func startNew(ctx context.Context, e Engine, id, token string, t *desktop.Timer, o UpOptions) (*UpResult, error) {
	if err := Start(ctx, e, id, o.Spec.Port); err != nil {
		return nil, err
	}
	t.Mark("start", time.Time{})

	d, err := Find(ctx, e, o.Spec.Name)
	if err != nil {
		return nil, err
	}
	res := &UpResult{Desktop: d, Token: token, Timer: t}
	return res, awaitReady(ctx, e, res, o)
}

// awaitReady probes the desktop until its first frame, and gives up early if
// the container exits, with the end of its log in the error.
func awaitReady(ctx context.Context, e Engine, res *UpResult, o UpOptions) error {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	ctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	ctx, cancel := context.WithTimeoutCause(ctx, timeout, fmt.Errorf("no first frame within %s", timeout))
	defer cancel()
	exited := watchExit(ctx, e, res.Desktop.ContainerID, stop)

	p, err := probe.WaitReady(ctx, res.Desktop.URL(), res.Token)
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
			err = cause
		}
		if exited.Load() {
			err = errors.New("the desktop container exited")
		}
		return fmt.Errorf("desktop %s did not come up: %w%s", res.Desktop.Name, err, logTail(e, res.Desktop.Name))
	}

	res.Timer.Mark("agent up", p.AgentUp)
	res.Timer.Mark("VNC ready", p.VNCReady)
	res.Timer.Mark("first frame", p.FirstFrame)
	res.Frame = p.Frame
	return nil
}

func record(o UpOptions, res *UpResult, cold bool) error {
	rec, err := o.Store.Desktop(Target, res.Desktop.Name)
	if err != nil || rec.Token != res.Token {
		rec = state.Desktop{Target: Target, Name: res.Desktop.Name, Token: res.Token, Created: time.Now().UTC()}
	}
	rec.URL = res.Desktop.URL()
	rec.VNCPassword = res.VNCPassword
	if err := o.Store.SaveDesktop(rec); err != nil {
		return err
	}
	st := res.Timer.Record(Target, res.Desktop.Name, cold)
	st.Action = string(res.Action)
	return o.Store.AppendStart(st)
}

// logTail is the end of a desktop's log, to show why it did not come up.
func logTail(e Engine, name string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()

	var buf bytes.Buffer
	if Logs(ctx, e, name, &buf, LogsOptions{Tail: "10"}) != nil || buf.Len() == 0 {
		return ""
	}
	return "\n    " + strings.ReplaceAll(strings.TrimSpace(buf.String()), "\n", "\n    ")
}

type exitFlag struct{ ch chan struct{} }

func (f exitFlag) Load() bool {
	select {
	case <-f.ch:
		return true
	default:
		return false
	}
}

// watchExit cancels the wait when the container stops running.
func watchExit(ctx context.Context, e Engine, id string, cancel context.CancelCauseFunc) exitFlag {
	f := exitFlag{ch: make(chan struct{})}
	go func() {
		resCh, errCh := e.ContainerWait(ctx, id, container.WaitConditionNextExit)
		select {
		case <-resCh:
			close(f.ch)
			cancel(errors.New("the desktop container exited"))
		case <-errCh:
		case <-ctx.Done():
		}
	}()
	return f
}

// prepareRuntime makes the image's runtime volume the first time a desktop of
// the image starts (a one-time copy, before the start is timed) and mounts it.
func prepareRuntime(ctx context.Context, e Engine, o *UpOptions) error {
	if o.ImageID == "" {
		return nil
	}
	if _, err := e.VolumeInspect(ctx, RuntimeVolume(o.ImageID)); err != nil {
		step := o.Logger.StartStep("Preparing the shared runtime volume of image " + shortID(o.ImageID) + " (once per image)")
		_, err = PrepareRuntime(ctx, e, o.ImageID, o.Spec.Flavor)
		step.Done(err)
		if err != nil {
			return err
		}
	}
	o.Spec.RuntimeOf = o.ImageID
	return nil
}
