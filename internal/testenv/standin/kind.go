package standin

import (
	"cmp"
	"context"
	"encoding/base64"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	dockernetwork "github.com/docker/docker/api/types/network"
	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"

	"github.com/mvm-dev/mvm/internal/testenv"
)

// Default Kind cluster and node image; MVM_E2E_KIND_CLUSTER and
// MVM_E2E_KIND_NODE_IMAGE override them.
const (
	defaultCluster   = "mvm"
	defaultNodeImage = "mvm.local/kind-node:v1.34.4"
	// ownCluster is the cluster made when the default one does not exist;
	// it is deleted when the test ends.
	ownCluster = "mvm-standin"
)

// serviceAccount is the identity whose token stands in for the user's
// Google access token.
const serviceAccount = "mvm-standin"

// Kind is a Kind cluster standing in for a GKE cluster.
type Kind struct {
	// Name is the Kind cluster's name.
	Name string
	// Endpoint is the API server's HTTPS URL on 127.0.0.1.
	Endpoint string
	// CA is the API server's CA certificate, PEM then base64, as GKE's
	// output gives it.
	CA string
	// Token is a bearer token of a cluster-admin service account: the
	// stand-in for the user's Google access token.
	Token string
	// Admin is the cluster's admin client, for checks.
	Admin kubernetes.Interface
	// Gateway is the host's address on the cluster's Docker network: what
	// the nodes reach the host at.
	Gateway string

	nodes []nodes.Node
}

// KindCluster returns the Kind cluster MVM_E2E_KIND_CLUSTER (default mvm),
// or else creates one from the offline node image and deletes it when the
// test ends. The kubeconfig of a created cluster goes to a temporary file:
// the user's is never edited.
//
// Tests of several packages run at once; a lock held until the test ends
// gives each its turn, so that two never create the same cluster or share
// one's small capacity.
func KindCluster(t testing.TB) *Kind {
	t.Helper()
	lock(t)

	p := cluster.NewProvider(cluster.ProviderWithDocker())
	name := cmp.Or(os.Getenv("MVM_E2E_KIND_CLUSTER"), defaultCluster)
	if !exists(t, p, name) {
		name = ownCluster
		createCluster(t, p, name)
	}
	cfg := adminConfig(t, p, name)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := p.ListNodes(name)
	if err != nil {
		t.Fatal(err)
	}

	k := &Kind{Name: name, Endpoint: cfg.Host, CA: base64.StdEncoding.EncodeToString(cfg.CAData),
		Admin: cs, nodes: ns}
	k.Token = adminToken(t, cs)
	k.Gateway = gateway(t)
	installGKEKinds(t, cfg)
	return k
}

func exists(t testing.TB, p *cluster.Provider, name string) bool {
	t.Helper()

	names, err := p.List()
	if err != nil {
		t.Fatalf("list Kind clusters: %v", err)
	}
	for _, n := range names {
		if n == name {
			return true
		}
	}
	return false
}

// createCluster makes a one-node cluster and deletes it at the end.
func createCluster(t testing.TB, p *cluster.Provider, name string) {
	t.Helper()

	image := cmp.Or(os.Getenv("MVM_E2E_KIND_NODE_IMAGE"), defaultNodeImage)
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	t.Logf("creating Kind cluster %s from %s", name, image)
	err := p.Create(name, cluster.CreateWithNodeImage(image), cluster.CreateWithKubeconfigPath(kubeconfig),
		cluster.CreateWithWaitForReady(3*time.Minute), cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false))
	if err != nil {
		t.Fatalf("create Kind cluster %s from %s (internal/testenv/test.sh builds the image): %v", name, image, err)
	}
	t.Cleanup(func() {
		if err := p.Delete(name, kubeconfig); err != nil {
			t.Errorf("delete Kind cluster %s: %v", name, err)
		}
	})
}

func adminConfig(t testing.TB, p *cluster.Provider, name string) *rest.Config {
	t.Helper()

	kc, err := p.KubeConfig(name, false)
	if err != nil {
		t.Fatalf("kubeconfig of Kind cluster %s: %v", name, err)
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(kc))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// adminToken makes a cluster-admin service account and returns a token of
// it that expires in an hour.
func adminToken(t testing.TB, cs kubernetes.Interface) string {
	t.Helper()
	ctx := context.Background()

	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: serviceAccount}}
	_, err := cs.CoreV1().ServiceAccounts("kube-system").Create(ctx, sa, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}
	crb := &rbacv1.ClusterRoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: serviceAccount},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "ClusterRole", Name: "cluster-admin"},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: serviceAccount, Namespace: "kube-system"}},
	}
	_, err = cs.RbacV1().ClusterRoleBindings().Create(ctx, crb, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		t.Fatal(err)
	}

	hour := int64(3600)
	tr, err := cs.CoreV1().ServiceAccounts("kube-system").CreateToken(ctx, serviceAccount,
		&authv1.TokenRequest{Spec: authv1.TokenRequestSpec{ExpirationSeconds: &hour}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Status.Token
}

// TrustRegistry makes the nodes' containerd pull images named host (such as
// 127.0.0.1:PORT) from server (such as http://BRIDGE:PORT), over plain HTTP.
// Host names are what the image references say; the nodes cannot reach the
// host's loopback.
func (k *Kind) TrustRegistry(t testing.TB, host, server string) {
	t.Helper()

	hosts := "server = \"" + server + "\"\n\n[host.\"" + server + "\"]\n  capabilities = [\"pull\", \"resolve\"]\n"
	dir := "/etc/containerd/certs.d/" + host
	for _, n := range k.nodes {
		cmd := n.Command("sh", "-c", "mkdir -p '"+dir+"' && cat > '"+dir+"/hosts.toml'")
		if err := cmd.SetStdin(strings.NewReader(hosts)).Run(); err != nil {
			t.Fatalf("configure the registry on node %s: %v", n.String(), err)
		}
	}
	t.Cleanup(func() {
		for _, n := range k.nodes {
			_ = n.Command("rm", "-rf", dir).Run()
		}
	})
}

// gateway is the host's IPv4 address on Kind's Docker network.
func gateway(t testing.TB) string {
	t.Helper()

	network := cmp.Or(os.Getenv("KIND_EXPERIMENTAL_DOCKER_NETWORK"), "kind")
	n, err := testenv.DockerClient(t).NetworkInspect(context.Background(), network, dockernetwork.InspectOptions{})
	if err != nil {
		t.Fatalf("inspect Docker network %s: %v", network, err)
	}
	for _, c := range n.IPAM.Config {
		if ip := net.ParseIP(c.Gateway); ip != nil && ip.To4() != nil {
			return c.Gateway
		}
	}
	t.Fatalf("Docker network %s has no IPv4 gateway", network)
	return ""
}

// lock takes a machine-wide lock until the test ends.
func lock(t testing.TB) {
	t.Helper()

	dir := filepath.Join(os.TempDir(), "mvm-testenv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "standin.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
}
