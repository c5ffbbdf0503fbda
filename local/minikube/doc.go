// Package minikube runs desktops on a Minikube profile through the minikube
// CLI, which has no stable Go API. It reads only minikube's machine output
// (JSON): the version, the profile list, the event stream of `start` and the
// image list. The profile runs on the docker driver and publishes the same
// desktop node ports on 127.0.0.1 as a Kind cluster made by mvm, so the
// desktop is deployed and reached exactly as on Kind (package
// local/cluster).
package minikube
