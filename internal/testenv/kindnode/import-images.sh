#!/bin/bash
# import-images.sh runs inside the staged node root (chroot, private mount and
# PID namespaces) during build.sh. It starts a private containerd on the
# node's store and imports every OCI archive in the directory given as $1
# into the k8s.io namespace, without unpacking: the CRI plugin unpacks an
# image the first time a container is created from it.
set -euo pipefail

archives=$1
run=/run/mvm-import
mkdir -p "$run"
cat >"$run/config.toml" <<EOF
version = 2
root = "/var/lib/containerd"
state = "$run/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]

[grpc]
  address = "$run/containerd.sock"
EOF

containerd --config "$run/config.toml" >"$run/containerd.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
	[[ -S $run/containerd.sock ]] && break
	sleep 0.2
done

for a in "$archives"/*.tar; do
	ctr --address "$run/containerd.sock" --namespace k8s.io images import --no-unpack "$a" >/dev/null
done
ctr --address "$run/containerd.sock" --namespace k8s.io images ls -q

kill "$pid"
wait "$pid" || true
rm -rf "$run"
