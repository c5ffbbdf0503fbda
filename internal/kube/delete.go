package kube

import (
	"context"
	"fmt"
	"sort"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/mvm-dev/mvm/manifests"
)

// Delete removes what mvm made for a desktop in a namespace and waits until
// its pods are gone. The desktop's home (its PersistentVolumeClaim) stays
// when keepHome is set. Deleting a desktop that is not there succeeds. It
// returns what it deleted, as "Kind/name" strings.
func (c *Client) Delete(ctx context.Context, ns, desktop string, keepHome bool) ([]string, error) {
	objs, err := c.owned(ctx, ns, desktop)
	if err != nil {
		return nil, err
	}

	var deleted []string
	for key, o := range objs {
		if keepHome && key.gk.Kind == "PersistentVolumeClaim" {
			continue
		}
		if err := c.deleteObject(ctx, o.gvk, ns, key.name); err != nil {
			return deleted, err
		}
		deleted = append(deleted, key.String())
	}
	sort.Strings(deleted)
	return deleted, c.waitGone(ctx, ns, desktop, !keepHome)
}

func (c *Client) deleteObject(ctx context.Context, gvk schema.GroupVersionKind, ns, name string) error {
	ri, _, err := c.resource(gvk, ns)
	if err != nil {
		return err
	}
	bg := metav1.DeletePropagationBackground
	err = ri.Delete(ctx, name, metav1.DeleteOptions{PropagationPolicy: &bg})
	if err != nil && !apierrors.IsNotFound(err) {
		return fmt.Errorf("delete %s/%s in namespace %s: %w", gvk.Kind, name, ns, err)
	}
	return nil
}

// waitGone polls until no pod of the desktop is left, and with home no
// claim either, so that a delete followed by a new deploy never finds the
// old pod holding the home, nor a home still being deleted.
func (c *Client) waitGone(ctx context.Context, ns, desktop string, home bool) error {
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	opts := metav1.ListOptions{LabelSelector: manifests.Selector(desktop)}
	for {
		pods, err := c.cs.CoreV1().Pods(ns).List(ctx, opts)
		if err != nil {
			return fmt.Errorf("list pods of desktop %s: %w", desktop, err)
		}
		left := len(pods.Items)
		if home {
			claims, err := c.cs.CoreV1().PersistentVolumeClaims(ns).List(ctx, opts)
			if err != nil {
				return fmt.Errorf("list the home of desktop %s: %w", desktop, err)
			}
			left += len(claims.Items)
		}
		if left == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for desktop %s to be gone: %w", desktop, ctx.Err())
		case <-t.C:
		}
	}
}
