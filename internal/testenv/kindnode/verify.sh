#!/usr/bin/env bash
# verify.sh checks the node image built by build.sh end to end, the way the
# tests of `mvm kind` use it: with internal/testenv/bin first in PATH, it
# creates a single-node Kind cluster from the image with no cluster config,
# then checks that
#   - every pod in kube-system and local-path-storage becomes Ready,
#   - CoreDNS answers for a Service name and, through Docker's DNS, for a
#     container on the kind network,
#   - a PersistentVolumeClaim of the default StorageClass binds and a pod can
#     write to it,
#   - an image streamed from `docker save` into the node's containerd keeps
#     Docker's image ID as its config digest, and a pod runs from it,
#   - the kubelet serves /metrics/resource,
# and deletes the cluster (also when a check fails). Each step is timed.
#
# Usage: internal/testenv/kindnode/verify.sh [cluster-name]
# Needs: the image and the kind CLI from build.sh, docker.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ci_cache=${MVM_CI_CACHE:-/var/cache/mvm-ci}
export PATH=$here/../bin:$ci_cache/bin:$PATH

readonly IMAGE=mvm.local/kind-node:v1.34.4
readonly SMOKE_IMAGE=mvm.local/kindnode-smoke:v1
readonly HELPER_IMAGE=mvm.local/local-path-helper:v1
cluster=${1:-mvmtest-node}
node=$cluster-control-plane
work=$(mktemp -d)
export KUBECONFIG=$work/kubeconfig

log() {
	printf 'verify: %s\n' "$*" >&2
}

# timed NAME CMD... runs CMD and logs how long it took.
timed() {
	local name=$1 start=$SECONDS
	shift
	"$@"
	log "$name: $((SECONDS - start)) s"
}

kc() {
	"$ci_cache/kindnode/bin/kubectl" "$@"
}

cleanup() {
	local rc=$?
	if ((rc != 0)); then
		log "FAILED; node logs:"
		docker exec "$node" journalctl --no-pager -n 40 -u kubelet -u mvm-node-cni >&2 || true
	fi
	kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
	docker image rm "$SMOKE_IMAGE" >/dev/null 2>&1 || true
	rm -rf "$work"
	exit "$rc"
}

create_cluster() {
	kind delete cluster --name "$cluster" >/dev/null 2>&1 || true
	kind create cluster --name "$cluster" --image "$IMAGE" --wait 2m --kubeconfig "$KUBECONFIG"
}

system_pods_ready() {
	local ns
	for ns in kube-system local-path-storage; do
		kc wait --namespace "$ns" --for=condition=Ready pods --all --timeout=120s >/dev/null
	done
	kc get pods -A -o wide >&2
}

# run_pod NAME IMAGE SCRIPT [OVERRIDES] runs SCRIPT in a pod to completion and
# prints its log.
run_pod() {
	local name=$1 image=$2 script=$3 overrides=${4:-}
	local args=(run "$name" --image "$image" --restart=Never --image-pull-policy=Never)
	[[ -z $overrides ]] || args+=(--overrides "$overrides")
	kc "${args[@]}" --command -- /bin/sh -c "$script" >/dev/null
	kc wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$name" --timeout=120s >/dev/null
	kc logs "$name"
}

dns_resolves() {
	local out
	out=$(run_pod dns "$HELPER_IMAGE" \
		"nslookup kubernetes.default.svc.cluster.local && nslookup $node")
	grep -q 'Address: 10.96.0.1' <<<"$out"
	log "CoreDNS answers for a Service and for $node"
}

volume_binds() {
	kc apply -f - >/dev/null <<'EOF'
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 16Mi
EOF
	local overrides='{"spec":{"containers":[{"name":"pvc","image":"'$HELPER_IMAGE'",
		"command":["/bin/sh","-c","echo written > /data/file && cat /data/file"],
		"volumeMounts":[{"name":"data","mountPath":"/data"}]}],
		"volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data"}}]}}'
	[[ $(run_pod pvc "$HELPER_IMAGE" true "$overrides") == written ]]
	[[ $(kc get pvc data -o 'jsonpath={.status.phase}') == Bound ]]
	log "PVC bound to $(kc get pvc data -o 'jsonpath={.spec.volumeName}'), pod wrote to it"
}

# smoke_image makes a one-layer image holding only Debian's static busybox,
# taken from the node image.
smoke_image() {
	local id
	mkdir -p "$work/smoke/bin"
	id=$(docker create "$IMAGE")
	docker cp "$id:/usr/bin/busybox" "$work/smoke/bin/busybox" >/dev/null
	docker rm "$id" >/dev/null
	ln -s busybox "$work/smoke/bin/sh"
	tar -C "$work/smoke" -c . | docker import --change 'CMD ["/bin/sh"]' - "$SMOKE_IMAGE" >/dev/null
}

loaded_image_runs() {
	local want have
	smoke_image
	docker save "$SMOKE_IMAGE" |
		docker exec -i "$node" ctr --namespace=k8s.io images import --digests \
			--snapshotter=overlayfs - >/dev/null
	want=$(docker image inspect --format '{{.Id}}' "$SMOKE_IMAGE")
	have=$(docker exec "$node" crictl inspecti -o go-template --template '{{.status.id}}' "$SMOKE_IMAGE")
	[[ $have == "$want" ]] || {
		log "image ID in the node $have, in Docker $want"
		return 1
	}
	[[ $(run_pod smoke "$SMOKE_IMAGE" 'echo loaded image runs') == 'loaded image runs' ]]
	log "loaded image keeps Docker's ID $want and runs"
}

kubelet_metrics() {
	local n
	n=$(kc get --raw "/api/v1/nodes/$node/proxy/metrics/resource" | grep -c '^container_cpu_usage_seconds_total')
	((n > 0))
	log "kubelet /metrics/resource serves CPU usage of $n containers"
}

delete_cluster() {
	kind delete cluster --name "$cluster"
	[[ -z $(docker ps -aq --filter "label=io.x-k8s.kind.cluster=$cluster") ]]
}

main() {
	trap cleanup EXIT
	timed "cluster create (kind --wait 2m)" create_cluster
	timed "system pods Ready" system_pods_ready
	timed "DNS" dns_resolves
	timed "volume" volume_binds
	timed "loaded image" loaded_image_runs
	timed "metrics" kubelet_metrics
	timed "cluster delete" delete_cluster
	log "all checks passed"
}

main "$@"
