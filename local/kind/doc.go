// Package kind runs desktops on a local Kind cluster through kind's Go API
// (sigs.k8s.io/kind/pkg/cluster): it makes sure the cluster exists, streams
// the desktop image from the Docker Engine into the nodes' containerd, and
// deploys the desktop with the same manifests and applier as every other
// cluster.
//
// The desktop is reached on 127.0.0.1 through port mappings that the cluster
// gets when mvm creates it: a range of Service node ports, each published on
// a free host port of 127.0.0.1. A client-go port-forward was the other way;
// it lives only as long as the process that holds it, so the URL that
// `mvm kind` prints would die with it, whereas a published port keeps
// working after mvm exits and across restarts of the node, as with
// `mvm dev`. The cost is that a cluster mvm did not create has no such ports.
package kind
