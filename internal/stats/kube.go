package stats

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/mvm-dev/mvm/manifests"
)

// Names that the desktops' Kubernetes objects share on every cluster, from
// the manifests' contract.
//
// TODO: desktops rendered into another namespace than mvm are not seen;
// the state record would need to keep the namespace for that.
const (
	kubeNamespace    = manifests.DefaultNamespace
	labelDesktop     = manifests.LabelDesktop
	managedSelector  = manifests.LabelManagedBy + "=" + manifests.ManagedBy
	agentServicePort = "http"
)

// KubeClient is the connection to one cluster that the Kubernetes source
// reads through. The client of package kube has it.
type KubeClient interface {
	Clientset() kubernetes.Interface
}

// KubeConnector connects to the cluster that holds the desktops of target
// recorded with where: for Kind and Minikube a kube context (empty is the
// kubeconfig's current one).
type KubeConnector func(ctx context.Context, target, where string) (KubeClient, error)

// kubeKey is one cluster as the recorded desktops name it.
type kubeKey struct{ target, context string }

// clusters are the clusters that hold a recorded desktop the filter selects.
func (r *refresh) clusters() []kubeKey {
	seen := map[kubeKey]bool{}
	var out []kubeKey
	for _, d := range r.records {
		k := kubeKey{d.Target, d.Context}
		if d.Target != "docker" && !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b kubeKey) int {
		return cmp.Or(targetOrder(a.target)-targetOrder(b.target), cmp.Compare(a.context, b.context))
	})
	return out
}

// kubeSource reads the desktops of one cluster: their pods' state, CPU and
// memory from the metrics API (or, without one, from the kubelets), and
// each agent's figures through the API server's service proxy.
type kubeSource struct {
	key     kubeKey
	connect KubeConnector
	client  KubeClient
}

func (s *kubeSource) collect(ctx context.Context, r *refresh) part {
	cs, err := s.ensureClient(ctx)
	if err != nil {
		return unreachablePart(s.key.target, s.key.context, err)
	}
	found, err := listDesktops(ctx, cs)
	if err != nil {
		s.client = nil
		return unreachablePart(s.key.target, s.key.context, err)
	}

	usage, usageErr := podUsage(ctx, cs, found.pods())
	var selected []*kubeDesktop
	for _, d := range found {
		if r.filter.Match(s.key.target, d.name) {
			selected = append(selected, d)
		}
	}
	rows := make([]Row, len(selected))
	r.each(len(selected), func(i int) { rows[i] = s.row(ctx, r, cs, selected[i], usage, usageErr) })

	rows = append(rows, r.missing(s.key.target, s.key.context, names(rows))...)
	return part{rows: rows}
}

func (s *kubeSource) ensureClient(ctx context.Context) (kubernetes.Interface, error) {
	if s.client == nil {
		c, err := s.connect(ctx, s.key.target, s.key.context)
		if err != nil {
			return nil, err
		}
		s.client = c
	}
	return s.client.Clientset(), nil
}

func (s *kubeSource) row(ctx context.Context, r *refresh, cs kubernetes.Interface, d *kubeDesktop,
	usage map[string]podFigures, usageErr error,
) Row {
	row := Row{Name: d.name, Target: s.key.target, Context: s.key.context, Namespace: kubeNamespace}
	row.State, row.Note = d.state()
	if d.pod == nil || row.State != "running" && row.State != "not ready" {
		return row
	}

	row.MemoryLimitBytes = memoryLimit(d.pod)
	if d.pod.Status.StartTime != nil {
		row.StartedAt = d.pod.Status.StartTime.UTC()
	}
	var notes []string
	switch u, ok := usage[d.pod.Name]; {
	case ok:
		row.CPUPercent, row.MemoryBytes = &u.cpuPercent, &u.memoryBytes
	case usageErr != nil:
		notes = append(notes, usageErr.Error())
	default:
		notes = append(notes, "no CPU or memory figures for the pod yet")
	}
	notes = append(notes, s.agentFigures(ctx, r, cs, &row))
	row.Note = joinNotes(append([]string{row.Note}, notes...)...)
	return row
}

// agentFigures reads the agent's metrics through the API server, with the
// recorded token or, when none is recorded here, the desktop's Secret.
func (s *kubeSource) agentFigures(ctx context.Context, r *refresh, cs kubernetes.Interface, row *Row) string {
	token := r.records[recordKey{row.Target, row.Name}].Token
	if token == "" {
		var err error
		if token, err = secretToken(ctx, cs, row.Name); err != nil {
			return err.Error()
		}
	}
	m, err := proxiedAgentMetrics(ctx, cs, row.Name, token)
	if err != nil {
		return err.Error()
	}
	fillAgent(row, m)
	return ""
}

// secretToken reads a desktop's token from its Secret.
func secretToken(ctx context.Context, cs kubernetes.Interface, name string) (string, error) {
	sec, err := cs.CoreV1().Secrets(kubeNamespace).Get(ctx, manifests.SecretName(name), metav1.GetOptions{})
	if err != nil {
		return "", fmt.Errorf("no token recorded and its Secret cannot be read: %w", err)
	}
	if len(sec.Data["token"]) == 0 {
		return "", errors.New("no token recorded and its Secret holds none")
	}
	return string(sec.Data["token"]), nil
}

// kubeDesktop is a desktop as the cluster holds it: its Deployment and the
// pod that serves it, either of which may be missing.
type kubeDesktop struct {
	name       string
	deployment *appsv1.Deployment
	pod        *corev1.Pod
}

type kubeDesktops map[string]*kubeDesktop

func (ds kubeDesktops) get(name string) *kubeDesktop {
	if ds[name] == nil {
		ds[name] = &kubeDesktop{name: name}
	}
	return ds[name]
}

func (ds kubeDesktops) pods() []*corev1.Pod {
	var out []*corev1.Pod
	for _, d := range ds {
		if d.pod != nil {
			out = append(out, d.pod)
		}
	}
	return out
}

// listDesktops finds mvm's Deployments and pods in the desktops' namespace.
// Its error is the one that makes the whole cluster unreachable.
func listDesktops(ctx context.Context, cs kubernetes.Interface) (kubeDesktops, error) {
	opts := metav1.ListOptions{LabelSelector: managedSelector}
	deps, err := cs.AppsV1().Deployments(kubeNamespace).List(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("list the desktops' Deployments: %w", err)
	}
	pods, err := cs.CoreV1().Pods(kubeNamespace).List(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("list the desktops' pods: %w", err)
	}

	ds := kubeDesktops{}
	for i := range deps.Items {
		if name := deps.Items[i].Labels[labelDesktop]; name != "" {
			ds.get(name).deployment = &deps.Items[i]
		}
	}
	for i := range pods.Items {
		p := &pods.Items[i]
		if name := p.Labels[labelDesktop]; name != "" {
			d := ds.get(name)
			if d.pod == nil || podRank(p) > podRank(d.pod) {
				d.pod = p
			}
		}
	}
	return ds, nil
}

// podRank prefers, during a rollout, the pod that serves: a ready one, then
// a running one, then the newest.
func podRank(p *corev1.Pod) int64 {
	rank := p.CreationTimestamp.Unix()
	if p.DeletionTimestamp == nil && p.Status.Phase == corev1.PodRunning {
		rank += 1 << 40
	}
	if podReady(p) {
		rank += 1 << 41
	}
	return rank
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// state names what the desktop is doing the way kubectl would, and why it
// is not running when the pod says.
func (d *kubeDesktop) state() (string, string) {
	p := d.pod
	switch {
	case p == nil && d.deployment != nil && d.deployment.Spec.Replicas != nil && *d.deployment.Spec.Replicas == 0:
		return "stopped", ""
	case p == nil:
		return "pending", "no pod yet"
	case p.DeletionTimestamp != nil:
		return "terminating", ""
	case p.Status.Phase == corev1.PodRunning && podReady(p):
		return "running", ""
	case p.Status.Phase == corev1.PodRunning:
		return "not ready", waitingReason(p)
	case p.Status.Phase == corev1.PodPending && len(p.Status.Conditions) == 0:
		return "pending", "not scheduled yet"
	case p.Status.Phase == corev1.PodPending:
		return "pending", waitingReason(p)
	}
	return "exited", p.Status.Reason
}

// waitingReason is why a container of the pod waits, such as
// ErrImageNeverPull or CrashLoopBackOff, or why the pod is not scheduled.
func waitingReason(p *corev1.Pod) string {
	for _, c := range p.Status.ContainerStatuses {
		if w := c.State.Waiting; w != nil && w.Reason != "" {
			return w.Reason
		}
	}
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			return joinNotes(c.Reason, c.Message)
		}
	}
	return ""
}

// memoryLimit is the sum of the containers' memory limits, or nil when one
// of them has none.
func memoryLimit(p *corev1.Pod) *uint64 {
	var sum uint64
	for _, c := range p.Spec.Containers {
		q, ok := c.Resources.Limits[corev1.ResourceMemory]
		if !ok {
			return nil
		}
		sum += uint64(max(0, q.Value()))
	}
	return &sum
}
