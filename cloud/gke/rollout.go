package gke

import (
	"context"
	"time"

	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/manifests"
)

// nodeWait is how long a pod may stay unschedulable on Autopilot, which
// adds a node for a pod that no node can take; that takes a minute or two,
// more when a zone is short of machines.
const nodeWait = 10 * time.Minute

// rollout waits for the desktop's Deployment with the shared rollout watch,
// which waits out an unschedulable pod for nodeWait instead of ending at
// once, as it does on a local cluster whose nodes never grow.
func rollout(ctx context.Context, in *Infra, c *kube.Client, p manifests.Params) error {
	step := in.log.StartStep("Waiting for desktop " + p.Name + " to roll out")
	err := c.WaitRollout(ctx, kube.RolloutOptions{
		Namespace:        p.Namespace,
		Desktop:          p.Name,
		Progress:         step.Update,
		UnschedulableFor: nodeWait,
	})
	step.Done(err)
	return err
}
