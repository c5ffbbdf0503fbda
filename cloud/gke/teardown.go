package gke

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/mvm-dev/mvm/manifests"
)

// TeardownOptions configure [Destroy].
type TeardownOptions struct {
	// Namespace holds the desktops; empty means "mvm".
	Namespace string
	// Confirm is asked before anything is removed, as in [PromoteOptions].
	Confirm func(*Summary) error
}

// namespaceTimeout bounds the wait for the desktops' namespace to go: GKE's
// Ingress controller removes the load balancer first, which takes minutes.
const namespaceTimeout = 10 * time.Minute

// Teardown removes what [Infra.Promote] made for the target: first the desktops'
// namespace, so that GKE removes the load balancers its Ingress controller
// made outside Terraform (they would hold on to the module's address), then
// every resource of the module. Destroying what is gone succeeds. It returns
// the plan it applied.
func (in *Infra) Teardown(ctx context.Context, o TeardownOptions) (*Summary, error) {
	if err := in.Init(ctx); err != nil {
		return nil, err
	}

	s, err := in.PlanDestroy(ctx)
	if err != nil {
		return nil, err
	}
	if s.Empty() {
		in.log.V(0).Info("✓ Nothing to destroy")
		return s, removePlan(in.planPath())
	}
	in.log.V(0).Info("Plan: " + s.String())
	if o.Confirm != nil {
		if err := o.Confirm(s); err != nil {
			return s, errors.Join(err, removePlan(in.planPath()))
		}
	}
	if err := removeDesktops(ctx, in, o); err != nil {
		return s, err
	}
	return s, in.Apply(ctx)
}

// removeDesktops deletes the desktops' namespace and waits until it is gone.
// Without outputs (nothing was applied) there is no cluster to clean.
func removeDesktops(ctx context.Context, in *Infra, o TeardownOptions) error {
	out, err := in.Outputs(ctx)
	if err != nil {
		in.log.V(1).Infof("no cluster to clean before destroying: %v", err)
		return nil
	}
	token, err := AccessToken(ctx, in.opts)
	if err != nil {
		return err
	}
	c, err := connect(ctx, out, token)
	if err != nil {
		return fmt.Errorf("%w (to destroy anyway, run terraform destroy in %s)", err, in.Dir())
	}

	ns := cmp.Or(o.Namespace, manifests.DefaultNamespace)
	step := in.log.StartStep("Removing the desktops in namespace " + ns)
	wait, cancel := context.WithTimeout(ctx, namespaceTimeout)
	defer cancel()
	err = deleteNamespace(wait, c.Clientset(), ns)
	step.Done(err)
	return err
}

// deleteNamespace deletes ns and polls until it is gone.
func deleteNamespace(ctx context.Context, cs kubernetes.Interface, ns string) error {
	err := cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete namespace %s: %w", ns, err)
	}

	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		_, err := cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
		if apierrors.IsNotFound(err) {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for namespace %s to be deleted: %w", ns, ctx.Err())
		case <-t.C:
		}
	}
}
