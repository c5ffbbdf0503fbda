package stats

import (
	"context"
	"encoding/base64"
	"testing"
	"time"

	"github.com/docker/docker/client"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/exec"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/standin"
	"github.com/mvm-dev/mvm/manifests"
)

// TestKindDesktopIsShown deploys a slim desktop to the test Kind cluster
// (the existing cluster mvm, or one made for the test) and reads it the way
// mvm stats does: pod state, CPU and memory from the metrics API or the
// kubelet, and the agent's figures through the API server's service proxy.
func TestKindDesktopIsShown(t *testing.T) {
	testenv.Require(t, testenv.Kind)
	ctx := t.Context()
	k := standin.KindCluster(t)
	kubeContext := "kind-" + k.Name

	dc, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer dc.Close()
	img := testenv.DesktopImage(t, dc, image.Slim)
	loadIntoNode(t, dc, k.Name+"-control-plane", img.Ref)

	connect := kindConnector(t, k)
	kc, err := connect(ctx, "kind", kubeContext)
	if err != nil {
		t.Fatal(err)
	}
	name := "st-kind-" + suffix()
	token := deployDesktop(t, kc.(*kube.Client), name, img.Ref)

	store := storeIn(t)
	rec := state.Desktop{Target: "kind", Name: name, Token: token, Context: kubeContext}
	if err := store.SaveDesktop(rec); err != nil {
		t.Fatal(err)
	}
	c := NewCollector(Options{Store: store, Filter: Filter{Names: []string{name}}, Kube: connect})
	defer c.Close()
	s := collectUntilMeasured(t, c)
	logTable(t, s)

	r := s.Desktops[0]
	switch {
	case r.State != "running" || r.Context != kubeContext || r.Namespace != "mvm":
		t.Errorf("row %+v, want running in namespace mvm of %s", r, kubeContext)
	case r.Clients == nil || *r.Clients != 0 || r.TxBytes == nil:
		t.Errorf("agent figures missing through the API server: %q", r.Note)
	case r.MemoryLimitBytes == nil || *r.MemoryLimitBytes != desktop.DefaultMemory:
		t.Errorf("memory limit %v, want the pod's %d", r.MemoryLimitBytes, desktop.DefaultMemory)
	case *r.MemoryBytes < 4<<20 || *r.MemoryBytes > 512<<20 || *r.CPUPercent < 0 || *r.CPUPercent > 110:
		t.Errorf("CPU %.1f%%, memory %d: want an idle desktop's", *r.CPUPercent, *r.MemoryBytes)
	}

	// Without a recorded token, the desktop's Secret gives it.
	rec.Token = ""
	if err := store.SaveDesktop(rec); err != nil {
		t.Fatal(err)
	}
	s, err = c.Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Desktops[0]; r.Clients == nil {
		t.Errorf("with the token only in the Secret, no agent figures: %q", r.Note)
	}
}

// kindConnector reaches the test cluster with its admin token, whatever
// the user's kubeconfig holds, and checks that it is asked for the context
// recorded with the desktop.
func kindConnector(t *testing.T, k *standin.Kind) KubeConnector {
	t.Helper()
	ca, err := base64.StdEncoding.DecodeString(k.CA)
	if err != nil {
		t.Fatal(err)
	}
	return func(ctx context.Context, target, kubeContext string) (KubeClient, error) {
		if target != "kind" || kubeContext != "kind-"+k.Name {
			t.Errorf("asked for %s %q, want kind kind-%s", target, kubeContext, k.Name)
		}
		cfg, err := kube.ConfigFromToken(k.Endpoint, ca, k.Token)
		if err != nil {
			return nil, err
		}
		return kube.Connect(ctx, cfg)
	}
}

// collectUntilMeasured collects until the desktop's pod has CPU and memory
// figures: the kubelet measures a new pod on its next housekeeping pass.
func collectUntilMeasured(t *testing.T, c *Collector) *Snapshot {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		s, err := c.Collect(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Desktops) != 1 || len(s.Unreachable) != 0 {
			t.Fatalf("%d rows, %+v unreachable; want the one desktop", len(s.Desktops), s.Unreachable)
		}
		r := s.Desktops[0]
		if r.CPUPercent != nil && r.MemoryBytes != nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("no CPU or memory figures within a minute: %q", r.Note)
		}
		time.Sleep(2 * time.Second)
	}
}

// deployDesktop renders and applies a desktop for Kind, waits for its pod
// to be ready, and deletes it when the test ends. It returns the token.
func deployDesktop(t *testing.T, kc *kube.Client, name, ref string) string {
	t.Helper()
	ctx := t.Context()
	token, err := desktop.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifests.Render(manifests.Params{
		Overlay: manifests.Kind, Name: name, Image: ref, Token: token, NodePort: freeNodePort(t, kc),
		// Small requests, so that the test desktop fits beside others on a
		// two-CPU node; the limits are the defaults, which the row shows.
		CPU: manifests.Resources{Request: resource.MustParse("100m"), Limit: resource.MustParse("1")},
		Memory: manifests.Resources{
			Request: resource.MustParse("128Mi"),
			Limit:   *resource.NewQuantity(desktop.DefaultMemory, resource.BinarySI),
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, _ = kc.Delete(ctx, "mvm", name, false)
	})
	if _, err := kc.Apply(ctx, objs, kube.ApplyOptions{Namespace: "mvm", Desktop: name}); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := kc.WaitRollout(wctx, kube.RolloutOptions{Namespace: "mvm", Desktop: name}); err != nil {
		t.Fatal(err)
	}
	return token
}

func freeNodePort(t *testing.T, kc *kube.Client) int32 {
	t.Helper()
	used, err := kc.DesktopNodePorts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for p := int32(32767); p >= 30000; p-- {
		if used[p] == "" {
			return p
		}
	}
	t.Fatal("no free node port")
	return 0
}

// loadIntoNode streams the image from the engine into the node's
// containerd, as kind's image loading does.
func loadIntoNode(t *testing.T, dc *client.Client, node, ref string) {
	t.Helper()
	rc, err := dc.ImageSave(t.Context(), []string{ref})
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	cmd := exec.Cmd{
		Args:  []string{"docker", "exec", "-i", node, "ctr", "-n", "k8s.io", "images", "import", "--digests", "-"},
		Stdin: rc,
	}
	if _, err := exec.Run(t.Context(), cmd); err != nil {
		t.Fatalf("load %s into node %s: %v", ref, node, err)
	}
}
