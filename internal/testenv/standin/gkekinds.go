package standin

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"io"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
)

// gkeKinds are custom resource definitions for the kinds that GKE serves
// and Kind does not (BackendConfig, FrontendConfig, ManagedCertificate), so
// that the gke overlay applies as it is. They accept any content: GKE's
// controllers, which would act on them, are not part of a stand-in.
//
//go:embed gkekinds.yaml
var gkeKinds []byte

var crdResource = schema.GroupVersionResource{
	Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions",
}

// installGKEKinds applies the definitions and waits until they are served.
func installGKEKinds(t testing.TB, cfg *rest.Config) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(gkeKinds), 4096)
	var groupVersions []string
	for {
		var obj unstructured.Unstructured
		if err := dec.Decode(&obj.Object); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if len(obj.Object) == 0 {
			continue // a comment before the first document
		}
		_, err := dyn.Resource(crdResource).Apply(ctx, obj.GetName(), &obj,
			metav1.ApplyOptions{FieldManager: "mvm-standin", Force: true})
		if err != nil {
			t.Fatalf("install %s: %v", obj.GetName(), err)
		}
		group, _, _ := unstructured.NestedString(obj.Object, "spec", "group")
		versions, _, _ := unstructured.NestedSlice(obj.Object, "spec", "versions")
		version, _, _ := unstructured.NestedString(versions[0].(map[string]any), "name")
		groupVersions = append(groupVersions, group+"/"+version)
	}
	waitServed(ctx, t, cfg, groupVersions)
}

func waitServed(ctx context.Context, t testing.TB, cfg *rest.Config, groupVersions []string) {
	t.Helper()

	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, gv := range groupVersions {
		for {
			if _, err := dc.ServerResourcesForGroupVersion(gv); err == nil {
				break
			}
			select {
			case <-ctx.Done():
				t.Fatalf("%s is not served: %v", gv, ctx.Err())
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
}
