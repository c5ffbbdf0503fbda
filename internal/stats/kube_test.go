package stats

import (
	"encoding/json"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestSummaryPrefersContainers reads a kubelet summary as a cgroup v1 Kind
// node writes it: the pod level reads zero, its container is measured.
func TestSummaryPrefersContainers(t *testing.T) {
	t.Parallel()
	raw := `{"pods":[
	 {"podRef":{"name":"a","namespace":"mvm"},
	  "cpu":{"usageNanoCores":0},"memory":{"workingSetBytes":0},
	  "containers":[{"cpu":{"usageNanoCores":30000000},"memory":{"workingSetBytes":27000000}}]},
	 {"podRef":{"name":"b","namespace":"mvm"},
	  "cpu":{"usageNanoCores":5000000},"memory":{"workingSetBytes":1000},"containers":[{}]},
	 {"podRef":{"name":"young","namespace":"mvm"},
	  "cpu":{"usageNanoCores":0},"memory":{"workingSetBytes":0}}]}`
	var s statsSummary
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		t.Fatal(err)
	}
	want := map[string]podFigures{"a": {3, 27000000}, "b": {0.5, 1000}}
	for _, p := range s.Pods {
		f, ok := podSummary(p.summaryUsage, p.Containers)
		if w, measured := want[p.PodRef.Name]; ok != measured || f != w {
			t.Errorf("pod %s: %+v (%t), want %+v (%t)", p.PodRef.Name, f, ok, w, measured)
		}
	}
}

func TestKubeStates(t *testing.T) {
	t.Parallel()
	zero := int32(0)
	ready := []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionTrue}}
	waiting := []corev1.ContainerStatus{{State: corev1.ContainerState{
		Waiting: &corev1.ContainerStateWaiting{Reason: "ErrImageNeverPull"},
	}}}
	scheduled := []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionTrue}}
	now := metav1.Now()
	tests := []struct {
		name       string
		d          kubeDesktop
		state, why string
	}{
		{"scaled to zero", kubeDesktop{deployment: deployment(&zero)}, "stopped", ""},
		{"no pod yet", kubeDesktop{deployment: deployment(nil)}, "pending", "no pod yet"},
		{"ready", kubeDesktop{pod: pod(corev1.PodRunning, ready, nil)}, "running", ""},
		{"running, not ready", kubeDesktop{pod: pod(corev1.PodRunning, nil, nil)}, "not ready", ""},
		{"image missing", kubeDesktop{pod: pod(corev1.PodPending, scheduled, waiting)}, "pending", "ErrImageNeverPull"},
		{"unscheduled", kubeDesktop{pod: pod(corev1.PodPending, nil, nil)}, "pending", "not scheduled yet"},
		{"going", kubeDesktop{pod: func() *corev1.Pod {
			p := pod(corev1.PodRunning, ready, nil)
			p.DeletionTimestamp = &now
			return p
		}()}, "terminating", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if state, why := tt.d.state(); state != tt.state || why != tt.why {
				t.Errorf("state() = %q, %q; want %q, %q", state, why, tt.state, tt.why)
			}
		})
	}
}

func deployment(replicas *int32) *appsv1.Deployment {
	d := &appsv1.Deployment{}
	d.Spec.Replicas = replicas
	return d
}

func pod(phase corev1.PodPhase, conds []corev1.PodCondition, cs []corev1.ContainerStatus) *corev1.Pod {
	return &corev1.Pod{Status: corev1.PodStatus{Phase: phase, Conditions: conds, ContainerStatuses: cs}}
}
