package kind

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// LoadResult says what [Cluster.LoadImage] did on each node.
type LoadResult struct {
	// Loaded are the nodes the image was streamed into; the others had it.
	Loaded []string
	// Nodes is how many nodes the cluster has.
	Nodes int
}

// LoadImage makes every node of the cluster hold the image ref, whose engine
// ID is id: nodes whose containerd already has ref as that ID are skipped;
// the others get the image streamed from the engine (`docker save`) straight
// into their containerd (`ctr images import`), with no file in between.
//
// TODO: stream only the layers a node lacks (a rebuilt image shares most of
// them), and remove desktop images that no pod uses any more; until then the
// kubelet's image garbage collection frees them when the node's disk fills.
func (c *Cluster) LoadImage(ctx context.Context, e Engine, ref, id string) (LoadResult, error) {
	var res LoadResult
	ns, err := c.provider.ListInternalNodes(c.Name)
	if err != nil {
		return res, fmt.Errorf("list the nodes of Kind cluster %s: %w", c.Name, flatten(err))
	}
	res.Nodes = len(ns)

	for _, n := range ns {
		if nodeImageID(ctx, n, ref) == id {
			continue
		}
		if err := stream(ctx, e, n, ref); err != nil {
			return res, err
		}
		if got := nodeImageID(ctx, n, ref); got != id {
			return res, fmt.Errorf("load image %s into node %s: the node holds %q, not %s", ref, n, got, id)
		}
		res.Loaded = append(res.Loaded, n.String())
	}
	return res, nil
}

// nodeImageID is the ID under which the node's containerd holds ref, or ""
// when it has no such image. Docker's image ID and containerd's are both the
// digest of the image's config, so they compare directly.
func nodeImageID(ctx context.Context, n nodes.Node, ref string) string {
	var out bytes.Buffer
	cmd := n.CommandContext(ctx, "crictl", "inspecti", "--output", "json", ref).SetStdout(&out)
	if cmd.Run() != nil {
		return ""
	}
	var v struct {
		Status struct {
			ID string `json:"id"`
		} `json:"status"`
	}
	if json.Unmarshal(out.Bytes(), &v) != nil {
		return ""
	}
	return v.Status.ID
}

// stream pipes the engine's archive of ref into the node's containerd.
func stream(ctx context.Context, e Engine, n nodes.Node, ref string) error {
	rc, err := e.ImageSave(ctx, []string{ref})
	if err != nil {
		return fmt.Errorf("export image %s from the Docker Engine: %w", ref, err)
	}
	// Cancelling ctx ends the export, and with it the import.
	defer rc.Close()

	if err := nodeutils.LoadImageArchive(n, rc); err != nil {
		return fmt.Errorf("load image %s into node %s: %w", ref, n, flatten(err))
	}
	return ctx.Err()
}
