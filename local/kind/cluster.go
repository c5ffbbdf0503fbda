package kind

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"
	"sigs.k8s.io/kind/pkg/cluster"
	kindexec "sigs.k8s.io/kind/pkg/exec"

	"github.com/mvm-dev/mvm/internal/log"
)

// DefaultCluster is the cluster's name unless told otherwise.
const DefaultCluster = "mvm"

// Cluster is one Kind cluster, which may not exist yet.
type Cluster struct {
	// Name is the cluster's name; its node containers are NAME-control-plane
	// and so on, and its kube context is kind-NAME.
	Name     string
	provider *cluster.Provider
}

// clusterNameRE is what kind accepts as a cluster name, kept to 50
// characters so that node container names stay short.
var clusterNameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]{0,48}[a-z0-9])?$`)

// New returns the cluster called name, after checking the name the way kind
// does, so that a bad one fails before anything is created.
func New(name string, l *log.Logger) (*Cluster, error) {
	if !clusterNameRE.MatchString(name) {
		return nil, fmt.Errorf("invalid Kind cluster name %q: use up to 50 lowercase letters, digits, "+
			"dots and inner dashes, for example mvm or team-1", name)
	}
	p := cluster.NewProvider(cluster.ProviderWithDocker(), cluster.ProviderWithLogger(kindLogger{l: l}))
	return &Cluster{Name: name, provider: p}, nil
}

// Context is the cluster's context in the kubeconfig that kind writes.
func (c *Cluster) Context() string { return "kind-" + c.Name }

// Exists reports whether the cluster has been created.
func (c *Cluster) Exists() (bool, error) {
	names, err := c.provider.List()
	if err != nil {
		return false, fmt.Errorf("list Kind clusters: %w", err)
	}
	return slices.Contains(names, c.Name), nil
}

// CreateOptions configure [Cluster.Create].
type CreateOptions struct {
	// NodeImage is the node image; empty means kind's default.
	NodeImage string
	// Wait bounds the wait for the node to become ready.
	Wait time.Duration
}

// Create creates the cluster with one node that publishes the desktop ports
// on 127.0.0.1, and writes its context into the kubeconfig. A cluster that
// fails to come up is removed again by kind.
func (c *Cluster) Create(ctx context.Context, o CreateOptions) error {
	if o.Wait == 0 {
		o.Wait = 3 * time.Minute
	}
	cfg := &v1alpha4.Cluster{
		TypeMeta: v1alpha4.TypeMeta{Kind: "Cluster", APIVersion: "kind.x-k8s.io/v1alpha4"},
		Nodes: []v1alpha4.Node{{
			Role:              v1alpha4.ControlPlaneRole,
			Image:             o.NodeImage,
			ExtraPortMappings: portMappings(),
		}},
	}

	// NOTE: kind's Create takes no context; it runs to its end (or its own
	// wait timeout) even when mvm is interrupted, and then cleans up.
	err := c.provider.Create(c.Name,
		cluster.CreateWithV1Alpha4Config(cfg),
		cluster.CreateWithWaitForReady(o.Wait),
		cluster.CreateWithDisplayUsage(false),
		cluster.CreateWithDisplaySalutation(false),
	)
	if err != nil {
		return fmt.Errorf("create Kind cluster %s: %w", c.Name, flatten(err))
	}
	return ctx.Err()
}

// RESTConfig is a client configuration for the cluster, read from the
// cluster itself rather than the user's kubeconfig, which may have been
// edited since.
func (c *Cluster) RESTConfig() (*rest.Config, error) {
	raw, err := c.provider.KubeConfig(c.Name, false)
	if err != nil {
		return nil, fmt.Errorf("read the kubeconfig of Kind cluster %s: %w", c.Name, flatten(err))
	}
	cfg, err := clientcmd.RESTConfigFromKubeConfig([]byte(raw))
	if err != nil {
		return nil, fmt.Errorf("read the kubeconfig of Kind cluster %s: %w", c.Name, err)
	}
	return cfg, nil
}

// Delete deletes the cluster and its kubeconfig context; deleting a cluster
// that does not exist succeeds.
func (c *Cluster) Delete() error {
	if err := c.provider.Delete(c.Name, ""); err != nil {
		return fmt.Errorf("delete Kind cluster %s: %w", c.Name, flatten(err))
	}
	return nil
}

// flatten adds the last line of a failed command's output, which kind keeps
// apart from its message, to the error.
func flatten(err error) error {
	re := kindexec.RunErrorForError(err)
	if re == nil {
		return err
	}
	lines := strings.Split(strings.TrimSpace(string(re.Output)), "\n")
	if last := strings.TrimSpace(lines[len(lines)-1]); last != "" {
		return fmt.Errorf("%w: %s", err, last)
	}
	return err
}
