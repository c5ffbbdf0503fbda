package kube

import (
	"context"
	"errors"
	"fmt"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/mvm-dev/mvm/manifests"
)

// RolloutOptions configure [Client.WaitRollout].
type RolloutOptions struct {
	// Namespace and Desktop name the desktop whose Deployment is awaited.
	Namespace, Desktop string
	// Progress, when set, is told each new state of the rollout, for a step
	// line to show.
	Progress func(status string)
	// UnschedulableFor is how long a pod may stay unschedulable before the
	// wait gives up on it. Zero gives up at once, right for a local cluster
	// whose nodes never grow; on an autoscaled cluster (GKE Autopilot) a
	// pod is unschedulable until a new node joins, so give it minutes.
	UnschedulableFor time.Duration
}

// RolloutError says why a desktop's pod did not become ready: Reason is a
// short cause such as ImagePullBackOff, CrashLoopBackOff or Unschedulable,
// Message what the cluster said about it.
type RolloutError struct {
	Desktop string
	Reason  string
	Message string
	// Err is the context's error when the wait ran out of time.
	Err error
}

func (e *RolloutError) Error() string {
	msg := fmt.Sprintf("desktop %s is not ready: %s", e.Desktop, e.Reason)
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Unwrap keeps a deadline visible to errors.Is.
func (e *RolloutError) Unwrap() error { return e.Err }

// resync bounds how long a missed watch event can go unnoticed.
const resync = 5 * time.Second

// WaitRollout waits until the desktop's Deployment has rolled out: its
// latest spec is observed and exactly one up-to-date pod is ready. It
// watches the Deployment and its pods and ends early with a [RolloutError]
// when a pod cannot start (an image that cannot be pulled, a crashing
// container, a pod no node can take). When ctx ends first, the error says
// what the pod was last waiting for.
func (c *Client) WaitRollout(ctx context.Context, o RolloutOptions) error {
	events, stop := c.watchDesktop(ctx, o.Namespace, o.Desktop)
	defer stop()

	last := ""
	for {
		st, err := c.rolloutState(ctx, o)
		if err != nil {
			return err
		}
		if st.done {
			return nil
		}
		if st.fatal != nil {
			return st.fatal
		}
		if st.status != last && o.Progress != nil {
			o.Progress(st.status)
		}
		last = st.status

		select {
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.Canceled) {
				return ctx.Err()
			}
			return &RolloutError{Desktop: o.Desktop, Reason: "timed out", Message: last, Err: ctx.Err()}
		case <-events:
		case <-time.After(resync):
		}
	}
}

// watchDesktop signals every change of the desktop's Deployment or pods. The
// watches only wake the caller, which then reads the current state: a lost
// or closed watch costs at most one resync period.
func (c *Client) watchDesktop(ctx context.Context, ns, desktop string) (<-chan struct{}, func()) {
	ctx, cancel := context.WithCancel(ctx)
	events := make(chan struct{}, 1)
	opts := metav1.ListOptions{LabelSelector: manifests.Selector(desktop)}

	start := func(w watch.Interface, err error) {
		if err != nil {
			return
		}
		go forward(ctx, w, events)
	}
	start(c.cs.CoreV1().Pods(ns).Watch(ctx, opts))
	start(c.cs.AppsV1().Deployments(ns).Watch(ctx, opts))
	return events, cancel
}

func forward(ctx context.Context, w watch.Interface, events chan<- struct{}) {
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-w.ResultChan():
			if !ok {
				return
			}
			select {
			case events <- struct{}{}:
			default:
			}
		}
	}
}

// rolloutState is where a rollout stands.
type rolloutState struct {
	done   bool
	fatal  *RolloutError
	status string
}

func (c *Client) rolloutState(ctx context.Context, o RolloutOptions) (rolloutState, error) {
	ns, desktop := o.Namespace, o.Desktop
	name := manifests.DeploymentName(desktop)
	d, err := c.cs.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return rolloutState{}, fmt.Errorf("desktop %s has no Deployment %s in namespace %s", desktop, name, ns)
	}
	if err != nil {
		return rolloutState{}, fmt.Errorf("read Deployment %s: %w", name, err)
	}
	if deploymentDone(d) {
		return rolloutState{done: true}, nil
	}

	pods, err := c.cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: manifests.Selector(desktop)})
	if err != nil {
		return rolloutState{}, fmt.Errorf("list pods of desktop %s: %w", desktop, err)
	}
	for i := range pods.Items {
		if e := podFault(&pods.Items[i], o.UnschedulableFor); e != nil {
			e.Desktop = desktop
			return rolloutState{fatal: e}, nil
		}
	}
	return rolloutState{status: describe(d, pods.Items)}, nil
}

// deploymentDone is kubectl's rollout status for a Recreate Deployment of
// one replica: the controller saw the latest spec, and the only pod left is
// up to date and ready.
func deploymentDone(d *appsv1.Deployment) bool {
	want := int32(1)
	if d.Spec.Replicas != nil {
		want = *d.Spec.Replicas
	}
	s := d.Status
	return s.ObservedGeneration >= d.Generation &&
		s.UpdatedReplicas == want && s.Replicas == want && s.AvailableReplicas == want
}

// crashRestarts is how many restarts make a crashing container a fault
// rather than a hiccup.
const crashRestarts = 2

// podFault is why a pod cannot become ready without someone changing
// something, or nil while it may still get there.
func podFault(p *corev1.Pod, unschedulableFor time.Duration) *RolloutError {
	if p.DeletionTimestamp != nil {
		return nil
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse &&
			cond.Reason == corev1.PodReasonUnschedulable &&
			time.Since(cond.LastTransitionTime.Time) >= unschedulableFor {
			return &RolloutError{Reason: "Unschedulable", Message: cond.Message}
		}
	}
	all := append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...), p.Status.ContainerStatuses...)
	for _, cs := range all {
		if e := containerFault(cs); e != nil {
			e.Message = fmt.Sprintf("container %s of pod %s: %s", cs.Name, p.Name, e.Message)
			return e
		}
	}
	return nil
}

func containerFault(cs corev1.ContainerStatus) *RolloutError {
	w := cs.State.Waiting
	if w == nil {
		return nil
	}
	switch w.Reason {
	case "ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName",
		"CreateContainerConfigError", "CreateContainerError", "RunContainerError":
		return &RolloutError{Reason: w.Reason, Message: w.Message}
	case "CrashLoopBackOff":
		if cs.RestartCount < crashRestarts {
			return nil
		}
		return &RolloutError{Reason: w.Reason, Message: lastExit(cs)}
	}
	return nil
}

// lastExit tells how a crashing container last ended.
func lastExit(cs corev1.ContainerStatus) string {
	t := cs.LastTerminationState.Terminated
	if t == nil {
		return fmt.Sprintf("restarted %d times", cs.RestartCount)
	}
	msg := fmt.Sprintf("exited with code %d (%s) after %d restarts", t.ExitCode, t.Reason, cs.RestartCount)
	if t.Message != "" {
		msg += ": " + t.Message
	}
	return msg
}

// describe says what the rollout is waiting for, in a few words.
func describe(d *appsv1.Deployment, pods []corev1.Pod) string {
	if len(pods) == 0 {
		return fmt.Sprintf("waiting for a pod (%d of 1 updated)", d.Status.UpdatedReplicas)
	}
	p := pods[len(pods)-1]
	if p.DeletionTimestamp != nil {
		return "waiting for the old pod to stop"
	}
	for _, cond := range p.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse {
			return "pod not scheduled: " + cond.Message
		}
	}
	for _, cs := range append(append([]corev1.ContainerStatus{}, p.Status.InitContainerStatuses...),
		p.Status.ContainerStatuses...) {
		if w := cs.State.Waiting; w != nil && w.Reason != "" {
			return fmt.Sprintf("container %s: %s", cs.Name, w.Reason)
		}
		if cs.State.Running != nil && !cs.Ready && cs.Name != "seed-home" {
			return fmt.Sprintf("container %s running, not ready yet", cs.Name)
		}
	}
	return "pod " + string(p.Status.Phase)
}

// IsRollout reports whether err is a [RolloutError].
func IsRollout(err error) bool {
	var re *RolloutError
	return errors.As(err, &re)
}
