package kube

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/rest"

	"github.com/mvm-dev/mvm/internal/testenv/kindtest"
	"github.com/mvm-dev/mvm/manifests"
)

func render(t *testing.T, ns, name string, mod func(*manifests.Params)) []*unstructured.Unstructured {
	t.Helper()
	p := manifests.Params{
		Overlay: manifests.Kind, Name: name, Namespace: ns,
		// No node holds this image and no registry serves it.
		Image:    "mvm.local/desktop:absent-0000",
		Token:    "e2e-token-0123456789abcdef",
		NodePort: 30689,
		CPU:      manifests.Resources{Request: resource.MustParse("50m"), Limit: resource.MustParse("500m")},
	}
	if mod != nil {
		mod(&p)
	}
	objs, err := manifests.Render(p)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// connect reaches the test cluster; the namespace ns goes when the test
// ends.
func connect(t *testing.T, ns string) *Client {
	t.Helper()
	c, err := Connect(context.Background(), tune(kindtest.Cluster(t)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = c.cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{})
	})
	return c
}

func TestApplyOnKind(t *testing.T) {
	const testNamespace = "mvm-kube-e2e-apply"
	c := connect(t, testNamespace)
	ctx := context.Background()
	const name = "apply"
	opts := ApplyOptions{Namespace: testNamespace, Desktop: name}
	persist := func(p *manifests.Params) { p.Persist = true }

	res, err := c.Apply(ctx, render(t, testNamespace, name, persist), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 4 {
		t.Errorf("first apply created %v, want the Secret, claim, Service and Deployment", res.Created)
	}
	dep, err := c.cs.AppsV1().Deployments(testNamespace).Get(ctx, manifests.DeploymentName(name), metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(dep.ManagedFields, func(m metav1.ManagedFieldsEntry) bool {
		return m.Manager == FieldManager && m.Operation == metav1.ManagedFieldsOperationApply
	}) {
		t.Errorf("the Deployment has no server-side apply entry of field manager %s", FieldManager)
	}

	res, err = c.Apply(ctx, render(t, testNamespace, name, persist), opts)
	if err != nil || !res.NoOp() {
		t.Errorf("second apply: %+v, %v; want no change", res, err)
	}

	// Without --persist the claim is no longer rendered; it must stay.
	objs := render(t, testNamespace, name, nil)
	withoutService := slices.DeleteFunc(objs, func(o *unstructured.Unstructured) bool { return o.GetKind() == "Service" })
	res, err = c.Apply(ctx, withoutService, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Pruned, []string{"Service/mvm-" + name}) {
		t.Errorf("pruned %v, want only the Service (never the home claim)", res.Pruned)
	}

	deleted, err := c.Delete(ctx, testNamespace, name, false)
	if err != nil || !slices.Contains(deleted, "PersistentVolumeClaim/mvm-"+name+"-home") {
		t.Errorf("Delete: %v, %v; want the claim among them", deleted, err)
	}
	if again, err := c.Delete(ctx, testNamespace, name, false); err != nil || len(again) != 0 {
		t.Errorf("second Delete: %v, %v; want nothing and no error", again, err)
	}
}

func TestRolloutSaysWhyOnKind(t *testing.T) {
	const testNamespace = "mvm-kube-e2e-rollout"
	c := connect(t, testNamespace)
	ctx := context.Background()
	const name = "never-ready"
	if _, err := c.Apply(ctx, render(t, testNamespace, name, nil), ApplyOptions{Namespace: testNamespace, Desktop: name}); err != nil {
		t.Fatal(err)
	}
	defer c.Delete(ctx, testNamespace, name, false)

	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var seen []string
	err := c.WaitRollout(wctx, RolloutOptions{Namespace: testNamespace, Desktop: name,
		Progress: func(s string) { seen = append(seen, s) }})
	t.Logf("WaitRollout: %v", err)
	var re *RolloutError
	if !errors.As(err, &re) || (re.Reason != "ErrImagePull" && re.Reason != "ImagePullBackOff") {
		t.Fatalf("WaitRollout: %v; want an image pull error (progress: %q)", err, seen)
	}
	if line := err.Error(); strings.Contains(line, "\n") || !strings.Contains(line, "mvm.local/desktop:absent-0000") {
		t.Errorf("error %q is not one line naming the image", line)
	}
}

func TestConnectUnreachable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	_, err := Connect(ctx, tune(&rest.Config{Host: "https://127.0.0.1:1"}))
	if err == nil || !strings.Contains(err.Error(), "the Kubernetes API server at https://127.0.0.1:1 does not answer") ||
		strings.Contains(err.Error(), "\n") {
		t.Errorf("Connect: %v; want one line saying the API server does not answer", err)
	}
}
