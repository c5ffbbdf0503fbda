package stats

import (
	"context"
	"encoding/json"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/client-go/kubernetes"

	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/manifests"
)

// podFigures are a pod's CPU (in percent of one CPU) and working set.
type podFigures struct {
	cpuPercent  float64
	memoryBytes uint64
}

// podUsage reads the CPU and memory of pods, by pod name, from the metrics
// API when the cluster serves it (metrics-server, GKE), and otherwise from
// the kubelet of each node that runs one of them, which is where
// metrics-server itself reads them.
func podUsage(ctx context.Context, cs kubernetes.Interface, pods []*corev1.Pod) (map[string]podFigures, error) {
	if len(pods) == 0 {
		return nil, nil
	}
	out, err := metricsAPIUsage(ctx, cs)
	if !apierrors.IsNotFound(err) && !apierrors.IsServiceUnavailable(err) {
		return out, err
	}
	return kubeletUsage(ctx, cs, pods)
}

// podMetricsList is the part of metrics.k8s.io/v1beta1 PodMetricsList that
// is read.
type podMetricsList struct {
	Items []struct {
		Metadata struct {
			Name string `json:"name"`
		} `json:"metadata"`
		Containers []struct {
			Usage map[string]resource.Quantity `json:"usage"`
		} `json:"containers"`
	} `json:"items"`
}

func metricsAPIUsage(ctx context.Context, cs kubernetes.Interface) (map[string]podFigures, error) {
	raw, err := cs.CoreV1().RESTClient().Get().
		AbsPath("/apis/metrics.k8s.io/v1beta1/namespaces", kubeNamespace, "pods").
		Param("labelSelector", managedSelector).
		DoRaw(ctx)
	if err != nil {
		return nil, err
	}
	var l podMetricsList
	if err := json.Unmarshal(raw, &l); err != nil {
		return nil, fmt.Errorf("decode the metrics API's pod metrics: %w", err)
	}

	out := map[string]podFigures{}
	for _, it := range l.Items {
		var f podFigures
		for _, c := range it.Containers {
			cpu, mem := c.Usage["cpu"], c.Usage["memory"]
			f.cpuPercent += float64(cpu.MilliValue()) / 10
			f.memoryBytes += uint64(max(0, mem.Value()))
		}
		out[it.Metadata.Name] = f
	}
	return out, nil
}

// statsSummary is the part of the kubelet's /stats/summary that is read.
type statsSummary struct {
	Pods []struct {
		PodRef struct {
			Name      string `json:"name"`
			Namespace string `json:"namespace"`
		} `json:"podRef"`
		summaryUsage
		Containers []summaryUsage `json:"containers"`
	} `json:"pods"`
}

// summaryUsage is the CPU and memory of a pod or a container, either of
// which the kubelet may leave out.
type summaryUsage struct {
	CPU *struct {
		UsageNanoCores *uint64 `json:"usageNanoCores"`
	} `json:"cpu"`
	Memory *struct {
		WorkingSetBytes *uint64 `json:"workingSetBytes"`
	} `json:"memory"`
}

func (u summaryUsage) figures() (podFigures, bool) {
	if u.CPU == nil || u.Memory == nil || u.CPU.UsageNanoCores == nil || u.Memory.WorkingSetBytes == nil {
		return podFigures{}, false
	}
	// No running process has an empty working set: a zero means that the
	// kubelet has not measured it yet.
	f := podFigures{cpuPercent: float64(*u.CPU.UsageNanoCores) / 1e7, memoryBytes: *u.Memory.WorkingSetBytes}
	return f, f.memoryBytes > 0
}

// podSummary sums the pod's containers, and falls back on the pod's own
// figures: with cgroup v1 nodes (Kind on such hosts) the pod level reads
// zero while its containers are measured.
func podSummary(pod summaryUsage, containers []summaryUsage) (podFigures, bool) {
	var sum podFigures
	n := 0
	for _, c := range containers {
		if f, ok := c.figures(); ok {
			sum.cpuPercent += f.cpuPercent
			sum.memoryBytes += f.memoryBytes
			n++
		}
	}
	if n > 0 && n == len(containers) {
		return sum, true
	}
	return pod.figures()
}

// kubeletUsage asks the kubelets, through the API server's node proxy, for
// the pods' figures; a node that does not answer leaves its pods without.
func kubeletUsage(ctx context.Context, cs kubernetes.Interface, pods []*corev1.Pod) (map[string]podFigures, error) {
	nodes := map[string]bool{}
	for _, p := range pods {
		if p.Spec.NodeName != "" {
			nodes[p.Spec.NodeName] = true
		}
	}

	out := map[string]podFigures{}
	var lastErr error
	for node := range nodes {
		if err := nodeUsage(ctx, cs, node, out); err != nil {
			lastErr = err
		}
	}
	return out, lastErr
}

func nodeUsage(ctx context.Context, cs kubernetes.Interface, node string, out map[string]podFigures) error {
	raw, err := cs.CoreV1().RESTClient().Get().
		Resource("nodes").Name(node).SubResource("proxy").Suffix("stats", "summary").
		DoRaw(ctx)
	if err != nil {
		return fmt.Errorf("no metrics API, and the kubelet of node %s: %w", node, err)
	}
	var s statsSummary
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("decode the stats summary of node %s: %w", node, err)
	}
	for _, p := range s.Pods {
		if p.PodRef.Namespace != kubeNamespace {
			continue
		}
		if f, ok := podSummary(p.summaryUsage, p.Containers); ok {
			out[p.PodRef.Name] = f
		}
	}
	return nil
}

// proxiedAgentMetrics reads a desktop's /metrics through the API server's
// proxy to its Service. The token goes in the agent's cookie: the API
// server consumes the Authorization header itself and does not pass it on.
func proxiedAgentMetrics(ctx context.Context, cs kubernetes.Interface, name, token string) (AgentMetrics, error) {
	raw, err := cs.CoreV1().RESTClient().Get().
		Namespace(kubeNamespace).Resource("services").Name(manifests.DeploymentName(name)+":"+agentServicePort).
		SubResource("proxy").Suffix("metrics").
		SetHeader("Cookie", agent.CookieName(agent.HashToken(token))+"="+token).
		DoRaw(ctx)
	if err != nil {
		return AgentMetrics{}, fmt.Errorf("read the agent's metrics through the API server: %w", err)
	}
	if len(raw) > maxMetricsSize {
		return AgentMetrics{}, fmt.Errorf("the agent's metrics are larger than %d bytes", maxMetricsSize)
	}
	return parseAgentMetrics(string(raw))
}
