package gke

import (
	"context"
	"errors"
	"time"

	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/manifests"
)

// unschedulableRetry is how long to wait before looking again at a pod that
// no node can take yet.
const unschedulableRetry = 5 * time.Second

// rollout waits for the desktop's Deployment with the shared rollout watch.
//
// NOTE: on Autopilot a new pod is Unschedulable until GKE has added a node
// for it, which takes a minute or two; the shared watch ends at once on an
// unschedulable pod, as is right on a local cluster, so here that one fault
// is waited out until ctx ends.
func rollout(ctx context.Context, in *Infra, c *kube.Client, p manifests.Params) error {
	step := in.log.StartStep("Waiting for desktop " + p.Name + " to roll out")
	err := waitRollout(ctx, c, p, step.Update)
	step.Done(err)
	return err
}

func waitRollout(ctx context.Context, c *kube.Client, p manifests.Params, progress func(string)) error {
	for {
		err := c.WaitRollout(ctx, kube.RolloutOptions{Namespace: p.Namespace, Desktop: p.Name, Progress: progress})
		var re *kube.RolloutError
		if !errors.As(err, &re) || re.Reason != "Unschedulable" {
			return err
		}
		progress("waiting for a node: " + re.Message)

		select {
		case <-ctx.Done():
			return &kube.RolloutError{Desktop: p.Name, Reason: "timed out waiting for a node",
				Message: re.Message, Err: ctx.Err()}
		case <-time.After(unschedulableRetry):
		}
	}
}
