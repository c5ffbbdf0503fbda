package cluster

import (
	"context"
	"fmt"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/go-connections/nat"
)

// Inspector reads a container, here the node container of a local cluster.
type Inspector interface {
	ContainerInspect(ctx context.Context, id string) (container.InspectResponse, error)
}

// HostPorts maps each of the node ports first..first+n-1 that the node
// container publishes on 127.0.0.1 to its address there.
func HostPorts(ctx context.Context, e Inspector, node string, first, n int32) (map[int32]string, error) {
	info, err := e.ContainerInspect(ctx, node)
	if err != nil {
		return nil, fmt.Errorf("inspect node container %s: %w", node, err)
	}
	if info.State == nil || !info.State.Running {
		return nil, fmt.Errorf("node container %s is not running (start it with `docker start %s`)", node, node)
	}

	out := map[int32]string{}
	for port := first; port < first+n; port++ {
		for _, b := range info.NetworkSettings.Ports[nat.Port(strconv.Itoa(int(port))+"/tcp")] {
			if b.HostIP == "127.0.0.1" && b.HostPort != "" {
				out[port] = "127.0.0.1:" + b.HostPort
			}
		}
	}
	return out, nil
}
