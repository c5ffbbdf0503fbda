package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/kindtest"
	"github.com/mvm-dev/mvm/local/kind"
	"github.com/mvm-dev/mvm/manifests"
)

// kindNodeImage is the offline node image that
// internal/testenv/kindnode/build.sh makes.
const kindNodeImage = kindtest.NodeImage

// requireDockerForKind skips unless MVM_E2E enables kind, and makes sure
// the slim desktop image exists.
func requireDockerForKind(t testing.TB) {
	t.Helper()
	testenv.Require(t, testenv.Kind)
	c := testenv.DockerClient(t)
	testenv.DesktopImage(t, c, image.Slim)
}

func dockerNames(t testing.TB) (string, error) {
	t.Helper()
	c := testenv.DockerClient(t)
	list, err := c.ContainerList(context.Background(), container.ListOptions{All: true})
	var names []string
	for _, ct := range list {
		names = append(names, ct.Names...)
	}
	return strings.Join(names, " "), err
}

// kindE2E is the cluster the end-to-end tests use (see package kindtest),
// locked for the test. A cluster that exists is shared and kept; one that
// does not is created by mvm kind and deleted by the test.
func kindE2E(t *testing.T) (name string, existed bool) {
	t.Helper()
	requireDockerForKind(t)
	return kindtest.Name(), kindtest.Lock(t)
}

// kindUp runs `mvm kind --json` with args and returns its answer.
func kindUp(t *testing.T, args ...string) readyOutput {
	t.Helper()
	args = append([]string{"kind", "--json", "--flavor", "slim", "--image", kindNodeImage}, args...)
	code, out, stderr := run(t, args...)
	if code != 0 {
		t.Fatalf("mvm %s: exit %d\n%s", strings.Join(args, " "), code, stderr)
	}
	t.Logf("mvm %s:\n%s", strings.Join(args, " "), stderr)
	var r readyOutput
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("mvm kind --json printed %q: %v", out, err)
	}
	return r
}

func splitURL(t *testing.T, u string) (base, token string) {
	t.Helper()
	base, token, ok := strings.Cut(u, "/?token=")
	if !ok || token == "" {
		t.Fatalf("URL %q has no token", u)
	}
	return base, token
}

func TestKindEndToEnd(t *testing.T) {
	cluster, existed := kindE2E(t)
	t.Setenv("MVM_STATE_DIR", t.TempDir())
	if !existed {
		// A cluster made here must not touch the user's kubeconfig.
		t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "kubeconfig"))
	}
	name := "e2e-" + strings.ToLower(time.Now().Format("150405"))
	common := []string{"--cluster-name", cluster, "--name", name}

	first := kindUp(t, common...)
	if first.Action != "created" || first.Target != "kind" {
		t.Errorf("first run: action %q target %q, want created on kind", first.Action, first.Target)
	}
	for _, phase := range []string{"cluster", "load", "apply", "rollout", "first frame"} {
		if _, ok := first.Phases[phase]; !ok {
			t.Errorf("first run has no %q phase: %v", phase, first.Phases)
		}
	}
	base, token := splitURL(t, first.URL)
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Errorf("desktop URL %s is not on 127.0.0.1", base)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	frame, err := probe.FirstFrame(ctx, base, token)
	if err != nil {
		t.Fatalf("first frame with the token: %v", err)
	}
	if frame.Width == 0 || frame.Height == 0 {
		t.Errorf("empty framebuffer %dx%d", frame.Width, frame.Height)
	}
	for _, bad := range []string{"", "not-the-token"} {
		if _, err := probe.FirstFrame(ctx, base, bad); !probe.IsRefused(err) {
			t.Errorf("token %q: got %v, want a refusal", bad, err)
		}
	}

	second := kindUp(t, common...)
	if second.Action != "reused" || second.URL != first.URL {
		t.Errorf("second run: action %q URL %q, want reused with the same URL", second.Action, second.URL)
	}

	code, out, stderr := run(t, append([]string{"kind", "--delete"}, common...)...)
	if code != 0 || !strings.Contains(out, "Deployment/mvm-"+name) {
		t.Fatalf("mvm kind --delete: exit %d, out %q\n%s", code, out, stderr)
	}
	assertGone(t, cluster, name)

	t.Run("persistent home", func(t *testing.T) { testPersistentHome(t, cluster) })
	t.Run("never ready", func(t *testing.T) { testNeverReady(t, cluster) })

	if !existed {
		deleteCluster(t, cluster)
	}
}

// assertGone checks that nothing of the desktop is left in the cluster or
// in mvm's state.
func assertGone(t *testing.T, cluster, name string) {
	t.Helper()
	c := kindClient(t, cluster)
	ctx := context.Background()
	left, err := c.Delete(ctx, manifests.DefaultNamespace, name, true)
	if err != nil || len(left) > 0 {
		t.Errorf("after delete, the cluster still held %v (%v)", left, err)
	}
	s := state.Store{Dir: os.Getenv("MVM_STATE_DIR")}
	if _, err := s.Desktop(kind.Target, name); err == nil {
		t.Errorf("state still records desktop %s", name)
	}
}

func kindClient(t *testing.T, cluster string) *kube.Client {
	t.Helper()
	cl, err := kind.New(cluster, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := cl.RESTConfig()
	if err != nil {
		t.Fatal(err)
	}
	c, err := kube.Connect(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func deleteCluster(t *testing.T, cluster string) {
	t.Helper()
	code, out, stderr := run(t, "kind", "--delete", "--cluster", "--cluster-name", cluster)
	if code != 0 || !strings.Contains(out, "Cluster/"+cluster) {
		t.Fatalf("mvm kind --delete --cluster: exit %d, out %q\n%s", code, out, stderr)
	}
	if names, _ := dockerNames(t); strings.Contains(names, cluster+"-control-plane") {
		t.Errorf("node %s-control-plane is still there", cluster)
	}
}

// testPersistentHome checks that a file in a persistent home survives a
// redeploy that replaces the pod, and a delete that keeps the home.
func testPersistentHome(t *testing.T, cluster string) {
	name := "home-" + strings.ToLower(time.Now().Format("150405"))
	common := []string{"--cluster-name", cluster, "--name", name, "--persist"}
	c := kindClient(t, cluster)
	t.Cleanup(func() { _, _ = c.Delete(context.Background(), manifests.DefaultNamespace, name, false) })

	kindUp(t, common...)
	execInDesktop(t, c, name, "echo kept > /home/desktop/notes.txt")

	again := kindUp(t, append(common, "--resolution", "1024x768")...)
	if again.Action != "updated" {
		t.Errorf("redeploy with a new resolution: action %q, want updated", again.Action)
	}
	if got := execInDesktop(t, c, name, "cat /home/desktop/notes.txt"); got != "kept\n" {
		t.Errorf("after a redeploy the home holds %q, want %q", got, "kept\n")
	}

	run(t, append([]string{"kind", "--delete"}, common[:4]...)...)
	kindUp(t, common...)
	if got := execInDesktop(t, c, name, "cat /home/desktop/notes.txt"); got != "kept\n" {
		t.Errorf("after delete and deploy the home holds %q, want %q", got, "kept\n")
	}

	code, _, stderr := run(t, append([]string{"kind", "--delete", "--home"}, common[:4]...)...)
	if code != 0 {
		t.Fatalf("mvm kind --delete --home: %s", stderr)
	}
	claims, err := c.Clientset().CoreV1().PersistentVolumeClaims(manifests.DefaultNamespace).
		List(context.Background(), metav1.ListOptions{LabelSelector: manifests.Selector(name)})
	if err != nil || len(claims.Items) != 0 {
		t.Errorf("after --delete --home, claims %v (%v)", claims, err)
	}
}

func execInDesktop(t *testing.T, c *kube.Client, name, script string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	if err := c.Exec(ctx, manifests.DefaultNamespace, name, []string{"sh", "-c", script}, &out); err != nil {
		t.Fatalf("exec %q in desktop %s: %v", script, name, err)
	}
	return out.String()
}

// testNeverReady asks for more memory than the node has: the pod can never
// be scheduled. mvm says so in one line and leaves nothing behind.
func testNeverReady(t *testing.T, cluster string) {
	name := "huge-" + strings.ToLower(time.Now().Format("150405"))
	args := []string{"kind", "--flavor", "slim", "--cluster-name", cluster, "--name", name,
		"--memory", "500GiB", "--persist"}
	code, out, stderr := run(t, args...)
	t.Logf("mvm %s:\n%s", strings.Join(args, " "), stderr)
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	if !strings.Contains(stderr, "ERROR: desktop "+name+" is not ready: Unschedulable: ") ||
		!strings.Contains(stderr, "Insufficient memory") || strings.Count(stderr, "ERROR:") != 1 {
		t.Errorf("want one line saying the pod is unschedulable for lack of memory:\n%s", stderr)
	}
	assertGone(t, cluster, name)
}
