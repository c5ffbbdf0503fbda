package kube

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/remotecommand"

	"github.com/mvm-dev/mvm/manifests"
)

// Exec runs a command in the desktop container of a desktop's running pod
// and copies its standard output to stdout; its standard error goes into
// the error when it fails.
func (c *Client) Exec(ctx context.Context, ns, desktop string, cmd []string, stdout io.Writer) error {
	pod, err := c.runningPod(ctx, ns, desktop)
	if err != nil {
		return err
	}

	req := c.cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).
		SubResource("exec").VersionedParams(&corev1.PodExecOptions{
		Container: "desktop", Command: cmd, Stdout: true, Stderr: true,
	}, scheme.ParameterCodec)
	ex, err := remotecommand.NewSPDYExecutor(c.config, "POST", req.URL())
	if err != nil {
		return fmt.Errorf("exec in pod %s: %w", pod, err)
	}

	var stderr bytes.Buffer
	err = ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: stdout, Stderr: &stderr})
	if err != nil {
		return fmt.Errorf("exec %s in pod %s: %w: %s", strings.Join(cmd, " "), pod, err,
			strings.TrimSpace(stderr.String()))
	}
	return nil
}

// runningPod is the name of a running, not terminating pod of the desktop.
func (c *Client) runningPod(ctx context.Context, ns, desktop string) (string, error) {
	pods, err := c.cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: manifests.Selector(desktop)})
	if err != nil {
		return "", fmt.Errorf("list pods of desktop %s: %w", desktop, err)
	}
	for _, p := range pods.Items {
		if p.Status.Phase == corev1.PodRunning && p.DeletionTimestamp == nil {
			return p.Name, nil
		}
	}
	return "", fmt.Errorf("desktop %s has no running pod in namespace %s", desktop, ns)
}
