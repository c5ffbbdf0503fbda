// Package cluster holds what deploying a desktop has in common on every
// local Kubernetes cluster (Kind, Minikube): choosing the desktop's node
// port among those the cluster publishes on 127.0.0.1, keeping its token
// across deploys, rendering and applying its manifests, waiting for the
// rollout and probing the first frame, and deleting it again. The tool
// packages (local/kind, local/minikube) make the cluster exist and hold the
// image; this package does the rest through internal/kube.
package cluster
