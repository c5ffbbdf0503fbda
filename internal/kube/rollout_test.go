package kube

import (
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

func waiting(name, reason, msg string, restarts int32) corev1.ContainerStatus {
	return corev1.ContainerStatus{
		Name:         name,
		RestartCount: restarts,
		State:        corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: reason, Message: msg}},
		LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{
			ExitCode: 2, Reason: "Error",
		}},
	}
}

func TestUnschedulableGrace(t *testing.T) {
	t.Parallel()
	p := corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{{
		Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
		LastTransitionTime: metav1.NewTime(time.Now().Add(-time.Minute)),
	}}}}
	if podFault(&p, 5*time.Minute) != nil {
		t.Error("a pod unschedulable for a minute failed a wait that allows five")
	}
	if podFault(&p, 30*time.Second) == nil {
		t.Error("a pod unschedulable for a minute passed a wait that allows 30s")
	}
}

func TestPodFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		pod    corev1.Pod
		reason string
		msg    string
	}{
		{"starting", corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
			waiting("desktop", "ContainerCreating", "", 0)}}}, "", ""},
		{"image pull", corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
			waiting("desktop", "ErrImagePull", "pull access denied", 0)}}}, "ErrImagePull", "pull access denied"},
		{"image backoff in init", corev1.Pod{Status: corev1.PodStatus{InitContainerStatuses: []corev1.ContainerStatus{
			waiting("seed-home", "ImagePullBackOff", "Back-off pulling", 0)}}}, "ImagePullBackOff", "seed-home"},
		{"first crash is a hiccup", corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
			waiting("desktop", "CrashLoopBackOff", "", 1)}}}, "", ""},
		{"crash loop", corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
			waiting("desktop", "CrashLoopBackOff", "", 3)}}}, "CrashLoopBackOff", "exited with code 2"},
		{"missing secret", corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
			waiting("desktop", "CreateContainerConfigError", `secret "x" not found`, 0)}}},
			"CreateContainerConfigError", `secret "x" not found`},
		{"unschedulable", corev1.Pod{Status: corev1.PodStatus{Conditions: []corev1.PodCondition{{
			Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: corev1.PodReasonUnschedulable,
			Message: "0/1 nodes are available: 1 Insufficient cpu.",
		}}}}, "Unschedulable", "Insufficient cpu"},
		{"terminating pods are ignored", corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{DeletionTimestamp: &metav1.Time{}},
			Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
				waiting("desktop", "ErrImagePull", "", 0)}}}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := podFault(&tt.pod, 0)
			if tt.reason == "" {
				if got != nil {
					t.Fatalf("podFault = %v, want none", got)
				}
				return
			}
			if got == nil || got.Reason != tt.reason || !strings.Contains(got.Message, tt.msg) {
				t.Fatalf("podFault = %+v, want reason %s and a message with %q", got, tt.reason, tt.msg)
			}
			got.Desktop = "dev"
			if line := got.Error(); strings.Contains(line, "\n") || !strings.HasPrefix(line, "desktop dev is not ready: ") {
				t.Errorf("error %q is not one line about desktop dev", line)
			}
		})
	}
}
