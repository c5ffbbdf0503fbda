package docker_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/docker/pkg/stdcopy"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/local/docker"
)

// env is one engine, the slim image and a private state directory.
type env struct {
	c     *client.Client
	img   image.Result
	store state.Store
}

func newEnv(t *testing.T) *env {
	t.Helper()
	c := testenv.DockerClient(t)
	return &env{c: c, img: testenv.DesktopImage(t, c, image.Slim), store: state.Store{Dir: t.TempDir()}}
}

func (e *env) up(t *testing.T, ctx context.Context, name string, mod func(*docker.UpOptions)) (*docker.UpResult, error) {
	t.Helper()
	o := docker.UpOptions{
		Spec: docker.Spec{
			Name: name, Image: e.img.Ref, Flavor: "slim", Resolution: "1024x768",
			Memory: desktop.DefaultMemory, CPUs: 1, Pids: desktop.DefaultPids, ShmSize: desktop.DefaultShm,
		},
		ImageID: e.img.ID,
		Timeout: time.Minute,
		Store:   e.store,
		Logger:  log.Discard(),
	}
	if mod != nil {
		mod(&o)
	}
	return docker.Up(ctx, e.c, o)
}

// removeAtEnd removes a test desktop, home included, when the test ends.
func (e *env) removeAtEnd(t *testing.T, name string) {
	t.Cleanup(func() {
		_ = docker.Remove(context.Background(), e.c, name, docker.RemoveOptions{Home: true})
	})
}

func TestDesktopServesFramesOnlyWithToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-token"
	e.removeAtEnd(t, name)

	res, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("started in %s", res.Timer.Summary())
	base := res.Desktop.URL()
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("desktop published on %q, want 127.0.0.1 only", base)
	}
	if res.Frame.Width != 1024 || res.Frame.Height != 768 {
		t.Errorf("first frame is %dx%d, want 1024x768", res.Frame.Width, res.Frame.Height)
	}

	for _, tok := range []string{"", "wrong-token"} {
		if _, err := probe.FirstFrame(ctx, base, tok); !probe.IsRefused(err) {
			t.Errorf("token %q: err = %v, want a refusal", tok, err)
		}
	}
	for path, want := range map[string]int{"/": 401, "/vnc.html": 401, "/metrics": 401, "/healthz": 200} {
		if code := status(t, base+path, ""); code != want {
			t.Errorf("GET %s without token = %d, want %d", path, code, want)
		}
	}

	f := drawnFrame(t, ctx, base, res.Token)
	t.Logf("desktop drawn with %d colours", f.Colors)
}

// drawnFrame waits until the desktop shows more than one colour: the first
// frame may come before Openbox has painted the background.
func drawnFrame(t *testing.T, ctx context.Context, base, token string) *probe.Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for {
		f, err := probe.FirstFrame(ctx, base, token)
		if err == nil && f.Colors > 1 {
			return f
		}
		if ctx.Err() != nil {
			t.Fatalf("the framebuffer stayed blank: last error %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestUpAgainReusesTheDesktop(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-reuse"
	e.removeAtEnd(t, name)

	first, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if second.Action != docker.Reused || second.Desktop.ContainerID != first.Desktop.ContainerID || second.Token != first.Token {
		t.Errorf("second Up %s container %s, want the first one (%s) reused", second.Action,
			second.Desktop.ContainerID[:12], first.Desktop.ContainerID[:12])
	}

	_, err = e.up(t, ctx, name, func(o *docker.UpOptions) { o.Spec.Resolution = "800x600" })
	if err == nil || !strings.Contains(err.Error(), "--recreate") {
		t.Errorf("changing a non-persistent desktop: err = %v, want a refusal that names --recreate", err)
	}
	third, err := e.up(t, ctx, name, func(o *docker.UpOptions) {
		o.Spec.Resolution = "800x600"
		o.Recreate = true
	})
	if err != nil {
		t.Fatal(err)
	}
	if third.Action != docker.Recreated || third.Frame.Width != 800 {
		t.Errorf("recreate: action %s, width %d", third.Action, third.Frame.Width)
	}
}

func TestAgentRestartsKilledXvnc(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-restart"
	e.removeAtEnd(t, name)

	res, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	execIn(t, e.c, res.Desktop.ContainerID, "sh", "-c", "kill -KILL $(cat /tmp/.X0-lock)")
	killed := time.Now()

	if _, err := probe.FirstFrame(ctx, res.Desktop.URL(), res.Token); err == nil {
		t.Log("a frame arrived before Xvnc died; waiting for the restart")
	}
	back := waitFrame(t, ctx, res.Desktop.URL(), res.Token, 30*time.Second)
	t.Logf("a client reconnected %s after Xvnc was killed", back.Sub(killed).Round(time.Millisecond))

	metrics := httpGet(t, res.Desktop.URL()+"/metrics", res.Token)
	if !strings.Contains(metrics, `mvm_agent_child_restarts_total{child="xvnc"} 1`) {
		t.Errorf("metrics do not count the Xvnc restart:\n%s", metrics)
	}
}

// waitFrame retries until a first frame arrives and returns when it did.
func waitFrame(t *testing.T, ctx context.Context, base, token string, limit time.Duration) time.Time {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		if _, err := probe.FirstFrame(ctx, base, token); err == nil {
			return time.Now()
		} else if ctx.Err() != nil {
			t.Fatalf("no frame within %s: %v", limit, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestPersistentHomeSurvivesRemove(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-persist"
	e.removeAtEnd(t, name)
	persist := func(o *docker.UpOptions) { o.Spec.Persist = true }

	res, err := e.up(t, ctx, name, persist)
	if err != nil {
		t.Fatal(err)
	}
	execIn(t, e.c, res.Desktop.ContainerID, "sh", "-c", "echo kept > $HOME/notes.txt")
	if err := docker.Remove(ctx, e.c, name, docker.RemoveOptions{}); err != nil {
		t.Fatal(err)
	}

	res, err = e.up(t, ctx, name, persist)
	if err != nil {
		t.Fatal(err)
	}
	if got := execIn(t, e.c, res.Desktop.ContainerID, "cat", docker.Home+"/notes.txt"); strings.TrimSpace(got) != "kept" {
		t.Fatalf("home after rm and up = %q, want the file written before", got)
	}

	if err := docker.Remove(ctx, e.c, name, docker.RemoveOptions{Home: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.VolumeInspect(ctx, docker.HomeVolume(name)); err == nil {
		t.Error("rm --home left the home volume behind")
	}
	if d, _ := docker.Find(ctx, e.c, name); d != nil {
		t.Error("rm left the container behind")
	}
}

func TestTakenPortCreatesNothing(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-port"
	e.removeAtEnd(t, name)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := ln.Addr().(*net.TCPAddr).Port

	_, err = e.up(t, ctx, name, func(o *docker.UpOptions) { o.Spec.Port = port })
	var inUse *docker.PortInUseError
	if !errors.As(err, &inUse) {
		t.Fatalf("err = %v, want a PortInUseError", err)
	}
	if d, _ := docker.Find(ctx, e.c, name); d != nil {
		t.Error("a container was left behind")
	}
}

func TestInterruptedStartLeavesNothing(t *testing.T) {
	e := newEnv(t)
	name := "e2e-interrupt"
	e.removeAtEnd(t, name)

	for _, after := range []time.Duration{20 * time.Millisecond, 150 * time.Millisecond, 400 * time.Millisecond} {
		ctx, cancel := context.WithTimeout(context.Background(), after)
		_, err := e.up(t, ctx, name, func(o *docker.UpOptions) { o.Spec.Persist = true })
		cancel()
		if err == nil {
			t.Logf("interrupt after %s came too late to test", after)
			_ = docker.Remove(context.Background(), e.c, name, docker.RemoveOptions{Home: true})
			continue
		}
		if d, _ := docker.Find(context.Background(), e.c, name); d != nil {
			t.Errorf("interrupt after %s left container %s (%s)", after, d.ContainerID[:12], d.State)
		}
		if _, err := e.c.VolumeInspect(context.Background(), docker.HomeVolume(name)); err == nil {
			t.Errorf("interrupt after %s left the new home volume", after)
		}
	}
}

func TestStopIsQuickAndClean(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-stop"
	e.removeAtEnd(t, name)

	res, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	timeout := 10
	if err := e.c.ContainerStop(ctx, res.Desktop.ContainerID, container.StopOptions{Timeout: &timeout}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	c, err := e.c.ContainerInspect(ctx, res.Desktop.ContainerID)
	if err != nil {
		t.Fatal(err)
	}
	if c.State.ExitCode != 0 || c.State.OOMKilled {
		t.Errorf("agent exited with %d after SIGTERM, want 0", c.State.ExitCode)
	}
	t.Logf("docker stop took %s", took.Round(time.Millisecond))

	again, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatalf("start after stop: %v", err)
	}
	if again.Action != docker.Started {
		t.Errorf("Up after stop: %s, want started", again.Action)
	}
}

func execIn(t *testing.T, c *client.Client, id string, cmd ...string) string {
	t.Helper()
	ctx := context.Background()
	ex, err := c.ContainerExecCreate(ctx, id, container.ExecOptions{Cmd: cmd, AttachStdout: true, AttachStderr: true})
	if err != nil {
		t.Fatal(err)
	}
	att, err := c.ContainerExecAttach(ctx, ex.ID, container.ExecAttachOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer att.Close()
	var out, errOut bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &errOut, att.Reader); err != nil {
		t.Fatal(err)
	}
	ins, err := c.ContainerExecInspect(ctx, ex.ID)
	if err != nil || ins.ExitCode != 0 {
		t.Fatalf("%v in the desktop: exit %d, %v: %s", cmd, ins.ExitCode, err, errOut.String())
	}
	return out.String()
}

func status(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func httpGet(t *testing.T, url, token string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}
