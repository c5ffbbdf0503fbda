package kube

import (
	"context"
	"fmt"
	"sort"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/mvm-dev/mvm/manifests"
)

// objectKey identifies an object in one namespace.
type objectKey struct {
	gk   schema.GroupKind
	name string
}

func keyOf(o *unstructured.Unstructured) objectKey {
	return objectKey{gk: o.GroupVersionKind().GroupKind(), name: o.GetName()}
}

func (k objectKey) String() string { return k.gk.Kind + "/" + k.name }

// ownedObject is an object mvm made for a desktop, as found in the cluster.
type ownedObject struct {
	gvk             schema.GroupVersionKind
	namespace       string
	resourceVersion string
}

// owned finds what mvm made for a desktop, among the kinds any rendering
// can hold. Kinds the cluster does not serve (GKE's own kinds on Kind) hold
// nothing.
func (c *Client) owned(ctx context.Context, ns, desktop string) (map[objectKey]ownedObject, error) {
	out := map[objectKey]ownedObject{}
	for _, gvk := range manifests.Kinds() {
		list, err := c.list(ctx, gvk, ns, desktop)
		if err != nil {
			return nil, err
		}
		for i := range list {
			o := &list[i]
			o.SetGroupVersionKind(gvk)
			out[keyOf(o)] = ownedObject{gvk: gvk, namespace: ns, resourceVersion: o.GetResourceVersion()}
		}
	}
	return out, nil
}

func (c *Client) list(ctx context.Context, gvk schema.GroupVersionKind, ns, desktop string) ([]unstructured.Unstructured, error) {
	ri, _, err := c.resource(gvk, ns)
	if meta.IsNoMatchError(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	l, err := ri.List(ctx, metav1.ListOptions{LabelSelector: manifests.Selector(desktop)})
	if apierrors.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list %ss of desktop %s: %w", gvk.Kind, desktop, err)
	}
	return l.Items, nil
}

// prune deletes what was there before and was not applied now, except the
// desktop's home: a PersistentVolumeClaim is never pruned.
func (c *Client) prune(ctx context.Context, before map[objectKey]ownedObject, applied map[objectKey]bool) ([]string, error) {
	var pruned []string
	for key, o := range before {
		if applied[key] || key.gk.Kind == "PersistentVolumeClaim" {
			continue
		}
		if err := c.deleteObject(ctx, o.gvk, o.namespace, key.name); err != nil {
			return pruned, err
		}
		pruned = append(pruned, key.String())
	}
	sort.Strings(pruned)
	return pruned, nil
}
