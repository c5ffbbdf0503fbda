package kind

import (
	"context"
	"fmt"

	"sigs.k8s.io/kind/pkg/apis/config/v1alpha4"

	"github.com/mvm-dev/mvm/local/cluster"
)

// portMappings publish the desktop ports on 127.0.0.1; kind picks a free
// host port for each.
func portMappings() []v1alpha4.PortMapping {
	m := make([]v1alpha4.PortMapping, 0, cluster.NodePorts)
	for i := range int32(cluster.NodePorts) {
		m = append(m, v1alpha4.PortMapping{
			ContainerPort: cluster.FirstNodePort + i,
			ListenAddress: "127.0.0.1",
			Protocol:      v1alpha4.PortMappingProtocolTCP,
		})
	}
	return m
}

// node is the name of the cluster's (only) node container.
func (c *Cluster) node() string { return c.Name + "-control-plane" }

// HostPorts maps each desktop port of the cluster to its address on
// 127.0.0.1, as the node container publishes it.
func (c *Cluster) HostPorts(ctx context.Context, e Engine) (map[int32]string, error) {
	ports, err := cluster.HostPorts(ctx, e, c.node(), cluster.FirstNodePort, cluster.NodePorts)
	if err != nil {
		return nil, fmt.Errorf("Kind cluster %s: %w", c.Name, err)
	}
	if len(ports) == 0 {
		// TODO: fall back to a client-go port-forward held by a background
		// mvm process, for clusters that mvm did not create.
		return nil, fmt.Errorf("Kind cluster %s publishes no desktop ports (mvm did not create it): "+
			"name another cluster with --cluster-name and mvm creates one that does", c.Name)
	}
	return ports, nil
}
