package kube

import (
	"context"
	"fmt"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mvm-dev/mvm/manifests"
)

// DesktopToken is the token in a desktop's Secret, or "" when the desktop
// has none yet. Deploying again with it changes nothing, so a second deploy
// keeps the URL the user already has.
func (c *Client) DesktopToken(ctx context.Context, ns, desktop string) (string, error) {
	s, err := c.cs.CoreV1().Secrets(ns).Get(ctx, manifests.SecretName(desktop), metav1.GetOptions{})
	if apierrors.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read the token of desktop %s: %w", desktop, err)
	}
	return string(s.Data["token"]), nil
}

// DesktopNodePorts maps each node port used by a desktop's Service, in any
// namespace, to that desktop as "namespace/name".
func (c *Client) DesktopNodePorts(ctx context.Context) (map[int32]string, error) {
	sel := manifests.LabelManagedBy + "=" + manifests.ManagedBy
	l, err := c.cs.CoreV1().Services("").List(ctx, metav1.ListOptions{LabelSelector: sel})
	if err != nil {
		return nil, fmt.Errorf("list the Services of mvm's desktops: %w", err)
	}
	out := map[int32]string{}
	for _, s := range l.Items {
		for _, p := range s.Spec.Ports {
			if p.NodePort != 0 {
				out[p.NodePort] = s.Namespace + "/" + s.Labels[manifests.LabelDesktop]
			}
		}
	}
	return out, nil
}
