package kind

import (
	"context"
	"fmt"
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/local/cluster"
	"github.com/mvm-dev/mvm/manifests"
)

// Target is the name of this target in state and output.
const Target = "kind"

// UpOptions configure [Up].
type UpOptions struct {
	Cluster *Cluster
	// NodeImage is the node image of a cluster that Up creates; empty means
	// kind's default.
	NodeImage string
	Engine    Engine
	// Desktop is the desktop to run; its Image must be in the engine, with
	// the engine ID ImageID. Overlay, token and node port are filled in.
	Desktop manifests.Params
	ImageID string
	// Timeout bounds the rollout and the first frame.
	Timeout time.Duration
	Store   state.Store
	Logger  *log.Logger
}

// UpResult is a desktop on Kind that served its first frame.
type UpResult struct {
	*cluster.Deployed
	// ClusterCreated says that Up created the cluster.
	ClusterCreated bool
	// Loaded says that the image was streamed into at least one node.
	Loaded bool
	Timer  *desktop.Timer
}

// Up makes sure the cluster exists and holds the image, deploys the desktop
// and waits for its first frame, timing the phases cluster, load, apply,
// rollout and first frame. Run again with nothing changed, it only checks
// and probes.
func Up(ctx context.Context, o UpOptions) (*UpResult, error) {
	res := &UpResult{Timer: desktop.NewTimer()}
	c, ports, err := ensureCluster(ctx, o, res)
	if err != nil {
		return nil, err
	}
	res.Timer.Mark("cluster", time.Time{})

	if err := load(ctx, o, res); err != nil {
		return nil, err
	}
	res.Timer.Mark("load", time.Time{})

	p := o.Desktop
	p.Overlay = manifests.Kind
	res.Deployed, err = cluster.Deploy(ctx, cluster.DeployOptions{
		Client: c, Params: p, Ports: ports, Timeout: o.Timeout, Timer: res.Timer, Logger: o.Logger,
	})
	if err != nil {
		return nil, err
	}
	return res, cluster.Record(o.Store, Target, o.Cluster.Context(), res.Deployed, res.Timer)
}

// ensureCluster creates the cluster unless it exists, and connects to it.
func ensureCluster(ctx context.Context, o UpOptions, res *UpResult) (*kube.Client, map[int32]string, error) {
	exists, err := o.Cluster.Exists()
	if err != nil {
		return nil, nil, err
	}
	if !exists {
		// kind merges the new context into the kubeconfig at the very end;
		// an unreadable one would fail it after all the work.
		if err := kube.CheckKubeconfig(""); err != nil {
			return nil, nil, err
		}
		step := o.Logger.StartStep("Creating Kind cluster " + o.Cluster.Name)
		err := o.Cluster.Create(ctx, CreateOptions{NodeImage: o.NodeImage})
		step.Done(err)
		if err != nil {
			return nil, nil, err
		}
		res.ClusterCreated = true
	}

	ports, err := o.Cluster.HostPorts(ctx, o.Engine)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := o.Cluster.RESTConfig()
	if err != nil {
		return nil, nil, err
	}
	c, err := kube.Connect(ctx, cfg)
	if err != nil {
		return nil, nil, fmt.Errorf("Kind cluster %s: %w", o.Cluster.Name, err)
	}
	return c, ports, nil
}

func load(ctx context.Context, o UpOptions, res *UpResult) error {
	step := o.Logger.StartStep("Loading " + o.Desktop.Image + " into Kind cluster " + o.Cluster.Name)
	lr, err := o.Cluster.LoadImage(ctx, o.Engine, o.Desktop.Image, o.ImageID)
	if err == nil && len(lr.Loaded) == 0 {
		step.Update("already there")
	}
	step.Done(err)
	res.Loaded = len(lr.Loaded) > 0
	return err
}
