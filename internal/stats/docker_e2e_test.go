package stats

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/local/docker"
)

// dockerEnv is the real engine, the slim desktop image and a private state
// directory; desktops it starts are removed when the test ends.
type dockerEnv struct {
	c     *client.Client
	img   image.Result
	store state.Store
}

func newDockerEnv(t testing.TB) *dockerEnv {
	t.Helper()
	c := testenv.DockerClient(t)
	return &dockerEnv{c: c, img: testenv.DesktopImage(t, c, image.Slim), store: state.Store{Dir: t.TempDir()}}
}

func (e *dockerEnv) up(t testing.TB, name string) *docker.UpResult {
	t.Helper()
	t.Cleanup(func() {
		_ = docker.Remove(context.Background(), e.c, name, docker.RemoveOptions{Home: true})
	})
	res, err := docker.Up(context.Background(), e.c, docker.UpOptions{
		Spec: docker.Spec{
			Name: name, Image: e.img.Ref, Flavor: "slim", Resolution: "1024x768",
			Memory: desktop.DefaultMemory, CPUs: 1, Pids: desktop.DefaultPids, ShmSize: desktop.DefaultShm,
		},
		ImageID: e.img.ID,
		Timeout: 2 * time.Minute,
		Store:   e.store,
		Logger:  log.Discard(),
	})
	if err != nil {
		t.Fatalf("start desktop %s: %v", name, err)
	}
	return res
}

func (e *dockerEnv) collector(f Filter) *Collector {
	return NewCollector(Options{
		Store:  e.store,
		Filter: f,
		Docker: func(context.Context) (DockerEngine, error) { return e.c, nil },
	})
}

// suffix keeps the desktops of concurrent test runs apart.
func suffix() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func TestDockerDesktopsAreShown(t *testing.T) {
	e := newDockerEnv(t)
	ctx := t.Context()
	sfx := suffix()
	busy, idle, stopped := "st-busy-"+sfx, "st-idle-"+sfx, "st-stop-"+sfx
	res := map[string]*docker.UpResult{}
	for _, n := range []string{busy, idle, stopped} {
		res[n] = e.up(t, n)
	}
	if err := e.c.ContainerStop(ctx, res[stopped].Desktop.ContainerID, container.StopOptions{}); err != nil {
		t.Fatal(err)
	}
	gone := "st-gone-" + sfx
	if err := e.store.SaveDesktop(state.Desktop{Target: "docker", Name: gone, Token: "x"}); err != nil {
		t.Fatal(err)
	}
	holdClient(t, res[busy])

	s, err := e.collector(Filter{Names: []string{"st-*-" + sfx}}).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	logTable(t, s)

	rows := byName(s.Desktops)
	checkRunning(t, rows[busy], 1)
	checkRunning(t, rows[idle], 0)
	if r := rows[stopped]; r.State != "exited" || r.CPUPercent != nil || r.Clients != nil {
		t.Errorf("stopped desktop: %+v, want state exited and no figures", r)
	}
	if r := rows[gone]; r.State != "missing" {
		t.Errorf("recorded desktop without a container: state %q, want missing", r.State)
	}
	if len(s.Desktops) != 4 || len(s.Unreachable) != 0 {
		t.Errorf("%d rows and %d unreachable, want 4 rows and none", len(s.Desktops), len(s.Unreachable))
	}
	if len(s.Starts) == 0 || s.Starts[0].Target != "docker" || s.Starts[0].Count != 3 {
		t.Errorf("start summaries %+v, want docker over the 3 cold starts first", s.Starts)
	}
}

func checkRunning(t *testing.T, r Row, clients int64) {
	t.Helper()
	switch {
	case r.State != "running":
		t.Errorf("%s: state %q, want running (note %q)", r.Name, r.State, r.Note)
	case r.Note != "":
		t.Errorf("%s: note %q, want every figure", r.Name, r.Note)
	case r.CPUPercent == nil || *r.CPUPercent < 0 || *r.CPUPercent > 110:
		// 110: the quota is enforced per scheduling period, the samples are not
		// aligned with it.
		t.Errorf("%s: CPU %v, want 0..100 %% under a 1 CPU limit", r.Name, r.CPUPercent)
	case r.MemoryBytes == nil || *r.MemoryBytes < 4<<20 || *r.MemoryBytes > 512<<20:
		t.Errorf("%s: memory %v, want an idle desktop's few MiB", r.Name, r.MemoryBytes)
	case r.MemoryLimitBytes == nil || *r.MemoryLimitBytes != desktop.DefaultMemory:
		t.Errorf("%s: memory limit %v, want %d", r.Name, r.MemoryLimitBytes, desktop.DefaultMemory)
	case r.Clients == nil || *r.Clients != clients:
		t.Errorf("%s: clients %v, want %d", r.Name, r.Clients, clients)
	case r.TxBytes == nil || *r.TxBytes == 0:
		t.Errorf("%s: sent bytes %v, want the first frame's", r.Name, r.TxBytes)
	case r.UptimeSeconds == nil || *r.UptimeSeconds <= 0 || *r.UptimeSeconds > 600:
		t.Errorf("%s: uptime %v, want the minutes since the test started it", r.Name, r.UptimeSeconds)
	case r.FirstFrame == nil || r.FirstFrame.Seconds <= 0 || !r.FirstFrame.Cold:
		t.Errorf("%s: first frame %+v, want its recorded cold start", r.Name, r.FirstFrame)
	}
}

// holdClient keeps a browser-like WebSocket connection to the desktop open
// until the test ends.
func holdClient(t *testing.T, res *docker.UpResult) {
	t.Helper()
	u := strings.Replace(res.Desktop.URL(), "http", "ws", 1) + "/websockify"
	ws, _, err := websocket.Dial(t.Context(), u, &websocket.DialOptions{
		HTTPHeader:   http.Header{"Authorization": {"Bearer " + res.Token}},
		Subprotocols: []string{"binary"},
	})
	if err != nil {
		t.Fatalf("connect a client: %v", err)
	}
	t.Cleanup(func() { ws.CloseNow() })

	// The agent counts the client once the bridge is up; wait for it.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m, err := getAgentMetrics(t.Context(), newAgentClient(), res.Desktop.URL(), res.Token)
		if err == nil && m.Clients == 1 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the agent never counted the connected client")
}

// TestAgentCookieOpensTheDesktop checks the cookie that reads agents
// through the Kubernetes API server against a real agent.
func TestAgentCookieOpensTheDesktop(t *testing.T) {
	e := newDockerEnv(t)
	res := e.up(t, "st-cookie-"+suffix())

	for token, want := range map[string]int{res.Token: http.StatusOK, res.Token + "x": http.StatusForbidden} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, res.Desktop.URL()+"/metrics", nil)
		req.Header.Set("Cookie", agent.CookieName(agent.HashToken(res.Token))+"="+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET /metrics with cookie %s: HTTP %d, want %d", agent.CookieName(agent.HashToken(res.Token)), resp.StatusCode, want)
		}
	}
}

func byName(rows []Row) map[string]Row {
	out := map[string]Row{}
	for _, r := range rows {
		out[r.Name] = r
	}
	return out
}

func logTable(t testing.TB, s *Snapshot) {
	t.Helper()
	var b strings.Builder
	_ = WriteTable(&b, s)
	t.Logf("refresh took %.3fs:\n%s", float64(s.Took), b.String())
}
