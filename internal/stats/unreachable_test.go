package stats

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/state"
)

// TestUnreachableTargetsAreLines points Docker at a socket nobody serves
// and a kube context at a closed loopback port, and records a GKE desktop
// whose target this user never promoted to (no working directory): each
// becomes one line of the snapshot, the
// recorded desktops there are not invented, and the collection as a whole
// succeeds.
func TestUnreachableTargetsAreLines(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix://"+filepath.Join(t.TempDir(), "no-docker.sock"))
	t.Setenv("KUBECONFIG", kubeconfigAt(t, closedPort(t)))
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1") // nothing may reach Google
	store := storeIn(t)
	for _, d := range []state.Desktop{
		{Target: "docker", Name: "dev", Token: "t"},
		{Target: "kind", Name: "dev", Token: "t", Context: "dead"},
		{Target: "gke", Name: "team", Token: "t", Context: "my-project/europe-west1/mvm"},
	} {
		if err := store.SaveDesktop(d); err != nil {
			t.Fatal(err)
		}
	}

	c := NewCollector(Options{
		Store:  store,
		Docker: func(ctx context.Context) (DockerEngine, error) { return engine.Connect(ctx) },
		Kube:   KubeconfigConnector(),
	})
	defer c.Close()
	s, err := c.Collect(t.Context())
	if err != nil {
		t.Fatalf("an unreachable target failed the whole collection: %v", err)
	}
	logTable(t, s)

	if len(s.Desktops) != 0 {
		t.Errorf("rows %+v, want none: nothing could be read", s.Desktops)
	}
	if len(s.Unreachable) != 3 || !s.NothingRead() {
		t.Fatalf("unreachable %+v, want docker, kind and gke", s.Unreachable)
	}
	docker, kind, gke := s.Unreachable[0], s.Unreachable[1], s.Unreachable[2]
	if docker.Target != "docker" || !strings.Contains(docker.Reason, "no-docker.sock") {
		t.Errorf("docker line %+v, want the socket named", docker)
	}
	if kind.Target != "kind" || kind.Context != "dead" || !strings.Contains(kind.Reason, "connection refused") {
		t.Errorf("kind line %+v, want context dead and the refused connection", kind)
	}

	if gke.Target != "gke" || gke.Context != "my-project/europe-west1/mvm" ||
		!strings.Contains(gke.Reason, "run mvm promote gke for it again") {
		t.Errorf("gke line %+v, want it to say that the target has no working directory", gke)
	}

	var b strings.Builder
	if err := WriteTable(&b, s); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), "unreachable"); n != 3 {
		t.Errorf("table has %d unreachable lines, want 3:\n%s", n, b.String())
	}
}

// closedPort is a loopback port that was just free, so connecting to it is
// refused at once.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

func kubeconfigAt(t *testing.T, port int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: dead
  cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
users:
- name: dead
  user: {token: not-a-real-token}
contexts:
- name: dead
  context: {cluster: dead, user: dead}
current-context: dead
`, port)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
