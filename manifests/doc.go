// Package manifests holds the Kubernetes manifests of a desktop, the same for
// every cluster mvm deploys to: a kustomize base (a Deployment and its
// Service, referring to the token Secret), components (a persistent home, an
// HTTPS Ingress on GKE) and one overlay per target (kind, minikube, gke).
//
// The files are embedded in the mvm binary and rendered in process by
// [Render], on an in-memory file system, with the desktop's [Params] written
// into base/params.yaml; the same directory is usable by hand with
// `kubectl apply -k manifests/overlays/kind` (see README.md).
package manifests
