package standin

import (
	"cmp"
	"context"
	"encoding/base64"
	"net"
	"os"
	"strings"
	"testing"

	dockernetwork "github.com/docker/docker/api/types/network"
	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"

	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/kindtest"
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

// KindCluster returns the shared Kind test cluster (see package kindtest),
// holding its machine-wide lock until the test ends, with a token, the GKE
// kinds and the host's address on the cluster's network.
func KindCluster(t testing.TB) *Kind {
	t.Helper()

	cfg := kindtest.Cluster(t)
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	name := kindtest.Name()
	ns, err := cluster.NewProvider(cluster.ProviderWithDocker()).ListNodes(name)
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
