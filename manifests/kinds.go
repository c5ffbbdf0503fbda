package manifests

import "k8s.io/apimachinery/pkg/runtime/schema"

// Kinds are the kinds of object that any rendering can hold. An applier
// looks for its earlier objects among these, to prune what a new rendering
// no longer has.
func Kinds() []schema.GroupVersionKind {
	return []schema.GroupVersionKind{
		{Version: "v1", Kind: "Secret"},
		{Version: "v1", Kind: "PersistentVolumeClaim"},
		{Version: "v1", Kind: "Service"},
		{Group: "apps", Version: "v1", Kind: "Deployment"},
		{Group: "cloud.google.com", Version: "v1", Kind: "BackendConfig"},
		{Group: "networking.gke.io", Version: "v1beta1", Kind: "FrontendConfig"},
		{Group: "networking.gke.io", Version: "v1", Kind: "ManagedCertificate"},
		{Group: "networking.k8s.io", Version: "v1", Kind: "Ingress"},
	}
}
