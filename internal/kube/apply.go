package kube

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"

	"github.com/mvm-dev/mvm/manifests"
)

// FieldManager is the server-side apply field manager of everything mvm
// applies.
const FieldManager = "mvm"

// ApplyOptions configure [Client.Apply].
type ApplyOptions struct {
	// Namespace holds the desktop; it is created if missing.
	Namespace string
	// Desktop is the desktop's name: objects mvm made for it that the new
	// rendering lacks are pruned (never its PersistentVolumeClaim).
	Desktop string
}

// ApplyResult says what an apply changed, as "Kind/name" strings.
type ApplyResult struct {
	Created   []string
	Changed   []string
	Unchanged []string
	Pruned    []string
}

// NoOp reports that the cluster already held exactly what was applied.
func (r ApplyResult) NoOp() bool {
	return len(r.Created)+len(r.Changed)+len(r.Pruned) == 0
}

// Apply makes the cluster hold objs, in their order, by server-side apply
// with mvm as the field manager, taking over fields that another manager set
// (force), then prunes what mvm made for o.Desktop before and objs no longer
// hold. The namespace is created if missing.
func (c *Client) Apply(ctx context.Context, objs []*unstructured.Unstructured, o ApplyOptions) (ApplyResult, error) {
	var res ApplyResult
	if err := c.ensureNamespace(ctx, o.Namespace); err != nil {
		return res, err
	}
	before, err := c.owned(ctx, o.Namespace, o.Desktop)
	if err != nil {
		return res, err
	}

	applied := map[objectKey]bool{}
	for _, obj := range objs {
		key, status, err := c.applyOne(ctx, obj, o.Namespace)
		if err != nil {
			return res, err
		}
		applied[key] = true
		res.add(status, key.String())
	}

	res.Pruned, err = c.prune(ctx, before, applied)
	return res, err
}

func (r *ApplyResult) add(status applyStatus, name string) {
	switch status {
	case created:
		r.Created = append(r.Created, name)
	case changed:
		r.Changed = append(r.Changed, name)
	default:
		r.Unchanged = append(r.Unchanged, name)
	}
}

type applyStatus int

const (
	unchanged applyStatus = iota
	changed
	created
)

// applyOne applies one object and tells whether the apply created or
// changed it. Resource versions alone cannot tell: controllers write status
// (a Deployment's, a claim's binding) at any time. So the object as it was
// just before is compared with the answer to the apply, without status and
// bookkeeping.
func (c *Client) applyOne(ctx context.Context, obj *unstructured.Unstructured, ns string) (objectKey, applyStatus, error) {
	obj = obj.DeepCopy()
	obj.SetNamespace(ns)
	key := keyOf(obj)

	ri, _, err := c.resource(obj.GroupVersionKind(), ns)
	if err != nil {
		return key, 0, err
	}
	prev, err := ri.Get(ctx, obj.GetName(), metav1.GetOptions{})
	if err != nil && !apierrors.IsNotFound(err) {
		return key, 0, fmt.Errorf("read %s in namespace %s: %w", key, ns, err)
	}
	out, err := ri.Apply(ctx, obj.GetName(), obj, metav1.ApplyOptions{FieldManager: FieldManager, Force: true})
	if err != nil {
		return key, 0, fmt.Errorf("apply %s in namespace %s: %w", key, ns, err)
	}

	switch {
	case prev == nil || prev.GetUID() != out.GetUID():
		return key, created, nil
	case prev.GetResourceVersion() == out.GetResourceVersion(),
		equality.Semantic.DeepEqual(comparable(prev), comparable(out)):
		return key, unchanged, nil
	default:
		return key, changed, nil
	}
}

// comparable is an object without what changes when nobody changed it: its
// status, resource version and the field managers' timestamps.
func comparable(o *unstructured.Unstructured) map[string]any {
	c := o.DeepCopy().Object
	delete(c, "status")
	unstructured.RemoveNestedField(c, "metadata", "resourceVersion")
	unstructured.RemoveNestedField(c, "metadata", "managedFields")
	return c
}

// resource is the dynamic client for a kind in a namespace.
func (c *Client) resource(gvk schema.GroupVersionKind, ns string) (dynamic.ResourceInterface, *meta.RESTMapping, error) {
	m, err := c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if meta.IsNoMatchError(err) {
		// A kind installed since the mapper's last discovery, such as a
		// freshly added CRD, is found on a second look.
		c.mapper.Reset()
		m, err = c.mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("the cluster does not serve %s: %w", gvk.Kind, err)
	}
	if m.Scope.Name() == meta.RESTScopeNameRoot {
		return c.dyn.Resource(m.Resource), m, nil
	}
	return c.dyn.Resource(m.Resource).Namespace(ns), m, nil
}

// ensureNamespace creates the namespace unless it exists.
func (c *Client) ensureNamespace(ctx context.Context, ns string) error {
	_, err := c.cs.CoreV1().Namespaces().Get(ctx, ns, metav1.GetOptions{})
	if err == nil {
		return nil
	}
	if !apierrors.IsNotFound(err) {
		return fmt.Errorf("look up namespace %s: %w", ns, err)
	}

	n := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{
		Name:   ns,
		Labels: map[string]string{manifests.LabelManagedBy: manifests.ManagedBy},
	}}
	_, err = c.cs.CoreV1().Namespaces().Create(ctx, n, metav1.CreateOptions{FieldManager: FieldManager})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create namespace %s: %w", ns, err)
	}
	return nil
}
