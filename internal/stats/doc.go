// Package stats collects what every desktop mvm runs is doing, on every
// target at once: its state, CPU, memory, network traffic and connected
// browsers from the target (for a Docker Engine on this host, the containers'
// cgroup files; for another engine, its stats; the Kubernetes metrics API or
// the kubelet) and from the desktop's own agent (its /metrics), plus the time
// to first frame that mvm measured when it started the desktop. GKE
// desktops are reached through the cluster that mvm promote gke recorded in
// its Terraform outputs.
//
// A [Collector] gathers one [Snapshot] per refresh. A target that cannot be
// reached becomes one [Unreachable] entry of the snapshot, never a failure of
// the whole collection. [WriteTable], [WriteJSON] and [Watch] show snapshots
// to people and scripts.
package stats
