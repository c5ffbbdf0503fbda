// Package kindtest gives end-to-end tests a Kind cluster made from the
// offline node image (see ../kindnode). One cluster fits on a small machine,
// and test binaries of several packages run at once, so every test that
// uses the cluster holds a machine-wide lock while it does: none can delete
// the cluster under another.
package kindtest

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/cluster"

	"github.com/mvm-dev/mvm/internal/testenv"
)

// NodeImage is the node image that ../kindnode/build.sh makes.
const NodeImage = "mvm.local/kind-node:v1.34.4"

// Name is the cluster the tests use: MVM_E2E_KIND_CLUSTER, else mvm (the
// default of mvm kind).
func Name() string {
	if n := os.Getenv("MVM_E2E_KIND_CLUSTER"); n != "" {
		return n
	}
	return "mvm"
}

// Lock requires the kind engine and holds the machine-wide cluster lock
// until the test ends. It reports whether the cluster exists.
func Lock(t testing.TB) bool {
	t.Helper()
	testenv.Require(t, testenv.Kind)

	dir := filepath.Join(os.TempDir(), "mvm-testenv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "kind.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	})
	return clusterExists(t)
}

func clusterExists(t testing.TB) bool {
	t.Helper()
	names, err := provider().List()
	if err != nil {
		t.Fatalf("list Kind clusters: %v", err)
	}
	for _, n := range names {
		if n == Name() {
			return true
		}
	}
	return false
}

func provider() *cluster.Provider {
	return cluster.NewProvider(cluster.ProviderWithDocker())
}

// Cluster holds the lock and returns a client configuration for the
// cluster, creating it first if it does not exist; a cluster it created is
// deleted when the test ends. Its kubeconfig goes to a temporary file: the
// user's is never edited.
func Cluster(t testing.TB) *rest.Config {
	t.Helper()
	p := provider()
	if !Lock(t) {
		kc := filepath.Join(t.TempDir(), "kubeconfig")
		err := p.Create(Name(), cluster.CreateWithNodeImage(NodeImage), cluster.CreateWithKubeconfigPath(kc),
			cluster.CreateWithWaitForReady(3*time.Minute), cluster.CreateWithDisplayUsage(false),
			cluster.CreateWithDisplaySalutation(false))
		if err != nil {
			t.Fatalf("create Kind cluster %s from %s (run internal/testenv/kindnode/build.sh first): %v",
				Name(), NodeImage, err)
		}
		t.Cleanup(func() {
			if err := p.Delete(Name(), kc); err != nil {
				t.Errorf("delete Kind cluster %s: %v", Name(), err)
			}
		})
	}

	raw, err := p.KubeConfig(Name(), false)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
