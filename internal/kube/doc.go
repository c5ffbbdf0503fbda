// Package kube is mvm's one way to a Kubernetes cluster, the same for Kind,
// Minikube and GKE: a [Client] built from a kubeconfig context or from an
// endpoint and a token, server-side apply of a desktop's rendered objects
// with pruning of what mvm made for that desktop and no longer renders (never
// its home), a watch on the rollout that says why a pod is not ready, a
// command run in the desktop, and the deletion of a desktop.
package kube
