#!/usr/bin/env bash
# build.sh builds mvm.local/kind-node:v1.34.4, a Kind node image assembled
# offline, for the tests of `mvm kind`.
#
# Why: kind's own node images (kindest/node) come from a registry, and the
# machines that run mvm's tests reach only Debian's mirror and the Go module
# proxy. So every piece is built from those two sources:
#   - Kubernetes v1.34.4 (kubelet, kubeadm, kubectl on the node; kube-apiserver,
#     kube-controller-manager, kube-scheduler, kube-proxy as images), etcd,
#     CoreDNS, crictl and local-path-provisioner are compiled from the Go module
#     proxy (CGO_ENABLED=0, -trimpath) in wrapper modules generated under the
#     cache directory. The Kubernetes wrapper replaces each staging module with
#     its published v0.34.4 release, because a dependency's ./staging replaces
#     are ignored. Version ldflags are set because kubeadm and kind parse them.
#   - The base system (systemd, Debian's containerd 1.6.20 and runc,
#     containernetworking-plugins, iptables) is debootstrapped from Debian.
#   - Container images (etcd, CoreDNS, pause, the control-plane components,
#     local-path-provisioner and its helper) are written as OCI archives by this
#     script and imported into the node's containerd (namespace k8s.io, pinned)
#     under the names kubeadm v1.34 and the storage manifest ask for. kubeadm
#     names etcd 3.6.5-0 and CoreDNS v1.12.1; newer patch releases are built
#     and tagged with those names, as only they are served.
#   - kindnetd, kind's default CNI, cannot be built offline, so the node
#     carries its own: mvm-node-cni (a systemd service) writes a bridge +
#     host-local + portmap conflist for the node's podCIDR and routes the other
#     nodes' podCIDRs. /kind/manifests/default-cni.yaml, which kind applies
#     unless disableDefaultCNI is set, holds only a ConfigMap saying so. A plain
#     `kind create cluster --image mvm.local/kind-node:v1.34.4` needs no config.
#   - containerd runs with restrict_oom_score_adj = true: this VM's capability
#     bounding set lacks CAP_SYS_RESOURCE, so raising a process's OOM score
#     adjustment fails and every pod sandbox would fail to start.
#   - `docker run --privileged` fails on such a VM for the same reason. Tests
#     put internal/testenv/bin first in PATH, whose docker wrapper rewrites
#     --privileged into an explicit capability set; the node's entrypoint then
#     remounts the cgroup hierarchies read-write itself.
#
# The image is labelled with a hash of this directory; when an image with that
# label exists the script returns at once. Intermediate artifacts (binaries,
# the base rootfs tarball, image archives) are cached under
# ${MVM_CI_CACHE:-/var/cache/mvm-ci}/kindnode, so a rebuild after only the
# Docker image was removed takes a few minutes. The kind CLI (for manual checks)
# is built into ${MVM_CI_CACHE:-/var/cache/mvm-ci}/bin/kind.
#
# Usage: internal/testenv/kindnode/build.sh
# Needs: root, docker, go, debootstrap, jq, unshare, sha256sum, gzip.
set -euo pipefail

readonly IMAGE=mvm.local/kind-node:v1.34.4
readonly RECIPE_LABEL=mvm.local/kind-node.recipe

readonly KUBE_VERSION=v1.34.4
readonly STAGING_VERSION=v0.34.4
readonly ETCD_VERSION=v3.6.17
readonly ETCD_TAG=3.6.5-0
readonly COREDNS_VERSION=v1.14.7
readonly COREDNS_TAG=v1.12.1
readonly PAUSE_TAG=3.10.1
readonly CRICTL_VERSION=v1.34.0
readonly LOCAL_PATH_VERSION=v0.0.30
readonly KIND_VERSION=v0.33.0
readonly DEBIAN_SUITE=bookworm
readonly DEBIAN_MIRROR=http://deb.debian.org/debian

# Packages the node needs on top of debootstrap's minbase variant.
readonly NODE_PACKAGES=(
	systemd systemd-sysv dbus
	containerd runc containernetworking-plugins
	iptables nftables conntrack iproute2 ethtool kmod
	mount util-linux e2fsprogs procps
	ca-certificates jq busybox-static
)

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ci_cache=${MVM_CI_CACHE:-/var/cache/mvm-ci}
cache=$ci_cache/kindnode

log() {
	printf 'kindnode: %s\n' "$*" >&2
}

# timed STEP ARGS... runs STEP and logs its duration when it did any work.
timed() {
	local start=$SECONDS
	"$@"
	if ((SECONDS - start > 1)); then
		log "$1: $((SECONDS - start)) s"
	fi
}

# recipe_hash hashes every file of this directory, names included, so that
# any change to the script or its assets rebuilds the image.
recipe_hash() {
	(cd "$here" && find . -type f -print0 | LC_ALL=C sort -z |
		xargs -0 sha256sum) | sha256sum | cut -c1-16
}

image_is_current() {
	local want=$1 have
	have=$(docker image inspect --format "{{ index .Config.Labels \"$RECIPE_LABEL\" }}" \
		"$IMAGE" 2>/dev/null) || return 1
	[[ $have == "$want" ]]
}

# cached KEY FILE... succeeds when every FILE exists and was made with KEY.
cached() {
	local key=$1 f
	shift
	for f in "$@"; do
		[[ -e $f && -e $f.key && $(<"$f.key") == "$key" ]] || return 1
	done
}

# mark KEY FILE... records that each FILE was made with KEY.
mark() {
	local key=$1 f
	shift
	for f in "$@"; do
		printf '%s' "$key" >"$f.key"
	done
}

# ---------------------------------------------------------------------------
# Go programs

# go_module DIR MODULE GO_VERSION writes a wrapper go.mod into DIR.
go_module() {
	local dir=$1 module=$2 go_version=$3
	mkdir -p "$dir"
	printf 'module %s\n\ngo %s\n' "$module" "$go_version" >"$dir/go.mod"
}

# go_build DIR OUT LDFLAGS PACKAGE... builds PACKAGEs of the wrapper module in
# DIR; OUT is go build's -o (a directory when it ends in /). -mod=mod lets go
# add the requirements and sums it finds missing, which keeps the generated
# modules short.
go_build() {
	local dir=$1 out=$2 ldflags=$3
	shift 3
	(cd "$dir" && nice -n 10 env CGO_ENABLED=0 GOFLAGS="${GOFLAGS:-} -mod=mod" \
		go build -trimpath -ldflags "$ldflags" -o "$out" "$@")
}

# kube_ldflags prints the version stamps that kubeadm and kind read.
kube_ldflags() {
	local minor=${KUBE_VERSION#v1.} pkg flags="-s -w"
	minor=${minor%%.*}
	for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		flags+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1"
		flags+=" -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
		flags+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
	done
	printf '%s' "$flags"
}

build_kubernetes() {
	local dir=$cache/src/kubernetes bin=$cache/bin names key staging
	names=(kubelet kubeadm kubectl kube-apiserver kube-controller-manager
		kube-scheduler kube-proxy)
	key="kubernetes $KUBE_VERSION $(go env GOVERSION) $(kube_ldflags)"
	cached "$key" "${names[@]/#/$bin/}" && return

	log "building Kubernetes $KUBE_VERSION (cold: ~15-25 min on 2 cores)"
	go_module "$dir" mvm.local/kindnode/kubernetes 1.24.0
	(cd "$dir" && go mod edit -require "k8s.io/kubernetes@$KUBE_VERSION")

	# Each staging module k8s.io/kubernetes replaces with ./staging/src/... is
	# published on its own; point the wrapper at those releases instead.
	staging=$(cd "$dir" && go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
		jq -r .GoMod | xargs sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p')
	for m in $staging; do
		(cd "$dir" && go mod edit -replace "$m=$m@$STAGING_VERSION")
	done

	mkdir -p "$bin"
	go_build "$dir" "$bin/" "$(kube_ldflags)" \
		k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubeadm \
		k8s.io/kubernetes/cmd/kubectl k8s.io/kubernetes/cmd/kube-apiserver \
		k8s.io/kubernetes/cmd/kube-controller-manager \
		k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kube-proxy
	mark "$key" "${names[@]/#/$bin/}"
}

build_etcd() {
	local dir=$cache/src/etcd bin=$cache/bin key
	key="etcd $ETCD_VERSION $(go env GOVERSION)"
	cached "$key" "$bin/etcd" && return

	log "building etcd $ETCD_VERSION"
	go_module "$dir" mvm.local/kindnode/etcd 1.26.0
	(cd "$dir" && go mod edit -require "go.etcd.io/etcd/server/v3@$ETCD_VERSION")
	go_build "$dir" "$bin/etcd" "-s -w" go.etcd.io/etcd/server/v3
	mark "$key" "$bin/etcd"
}

# build_coredns links only the plugins kubeadm's Corefile uses (plus a few that
# are handy when a test edits it): the full plugin set drags in every cloud
# SDK and doubles the compile time.
build_coredns() {
	local dir=$cache/src/coredns bin=$cache/bin key plugins p
	plugins=(errors health ready kubernetes metrics forward cache loop reload
		loadbalance log hosts rewrite template whoami debug)
	key="coredns $COREDNS_VERSION $(go env GOVERSION) ${plugins[*]}"
	cached "$key" "$bin/coredns" && return

	log "building CoreDNS $COREDNS_VERSION"
	go_module "$dir" mvm.local/kindnode/coredns 1.25.0
	(cd "$dir" && go mod edit -require "github.com/coredns/coredns@$COREDNS_VERSION")
	{
		printf '// Command coredns is CoreDNS with the plugins a Kind node uses.\n'
		printf 'package main\n\nimport (\n'
		for p in "${plugins[@]}"; do
			printf '\t_ "github.com/coredns/coredns/plugin/%s"\n' "$p"
		done
		printf '\n\t"github.com/coredns/coredns/coremain"\n)\n\n'
		printf 'func main() {\n\tcoremain.Run()\n}\n'
	} >"$dir/main.go"
	go_build "$dir" "$bin/coredns" \
		"-s -w -X github.com/coredns/coredns/coremain.GitCommit=$COREDNS_VERSION" .
	mark "$key" "$bin/coredns"
}

build_crictl() {
	local dir=$cache/src/crictl bin=$cache/bin key
	key="crictl $CRICTL_VERSION $(go env GOVERSION)"
	cached "$key" "$bin/crictl" && return

	log "building crictl $CRICTL_VERSION"
	go_module "$dir" mvm.local/kindnode/crictl 1.24.1
	(cd "$dir" && go mod edit -require "sigs.k8s.io/cri-tools@$CRICTL_VERSION")
	go_build "$dir" "$bin/crictl" \
		"-s -w -X sigs.k8s.io/cri-tools/pkg/version.Version=$CRICTL_VERSION" \
		sigs.k8s.io/cri-tools/cmd/crictl
	mark "$key" "$bin/crictl"
}

build_local_path() {
	local dir=$cache/src/local-path bin=$cache/bin key
	key="local-path-provisioner $LOCAL_PATH_VERSION $(go env GOVERSION)"
	cached "$key" "$bin/local-path-provisioner" && return

	log "building local-path-provisioner $LOCAL_PATH_VERSION"
	go_module "$dir" mvm.local/kindnode/localpath 1.23.0
	(cd "$dir" && go mod edit -require "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION")
	go_build "$dir" "$bin/local-path-provisioner" \
		"-s -w -X main.VERSION=$LOCAL_PATH_VERSION" github.com/rancher/local-path-provisioner
	mark "$key" "$bin/local-path-provisioner"
}

build_kind_cli() {
	local dir=$cache/src/kind out=$ci_cache/bin/kind key
	key="kind $KIND_VERSION $(go env GOVERSION)"
	cached "$key" "$out" && return

	log "building the kind CLI $KIND_VERSION into $out"
	go_module "$dir" mvm.local/kindnode/kind 1.17
	(cd "$dir" && go mod edit -require "sigs.k8s.io/kind@$KIND_VERSION")
	mkdir -p "$ci_cache/bin"
	go_build "$dir" "$out" "-s -w" sigs.k8s.io/kind
	mark "$key" "$out"
}

# ---------------------------------------------------------------------------
# Base root filesystem

# unmount_under DIR lazily unmounts anything left mounted below DIR (a
# debootstrap or chroot step that was interrupted), so that removing DIR can
# never reach into /proc, /sys or /dev of the host.
unmount_under() {
	local dir=$1 m
	findmnt -rn -o TARGET | { grep -F "$dir/" || true; } | LC_ALL=C sort -r |
		while read -r m; do
			umount -l "$m"
		done
}

remove_tree() {
	local dir=$1
	[[ -e $dir ]] || return 0
	unmount_under "$dir"
	rm -rf --one-file-system "$dir"
}

build_base_rootfs() {
	local out=$cache/rootfs/base.tar tree=$cache/rootfs/tree key
	key="$DEBIAN_SUITE $DEBIAN_MIRROR ${NODE_PACKAGES[*]}"
	cached "$key" "$out" && return

	log "debootstrapping $DEBIAN_SUITE with ${#NODE_PACKAGES[@]} extra packages (~5 min)"
	remove_tree "$tree"
	mkdir -p "$tree"
	nice -n 10 debootstrap --variant=minbase \
		--include="$(IFS=,; echo "${NODE_PACKAGES[*]}")" \
		"$DEBIAN_SUITE" "$tree" "$DEBIAN_MIRROR" >"$cache/rootfs/debootstrap.log" 2>&1 || {
		tail -n 30 "$cache/rootfs/debootstrap.log" >&2
		return 1
	}
	unmount_under "$tree"
	pack_base_rootfs "$tree" "$out"
	mark "$key" "$out"
}

# pack_base_rootfs TREE OUT drops what a node never uses (documentation,
# package lists, caches) from the debootstrapped TREE and packs it into OUT.
pack_base_rootfs() {
	local tree=$1 out=$2
	rm -rf "$tree"/var/lib/apt/lists/* "$tree"/var/cache/apt/* "$tree"/var/log/* \
		"$tree"/usr/share/doc/* "$tree"/usr/share/man/* "$tree"/usr/share/info/* \
		"$tree"/usr/share/locale/*
	cat >"$tree/etc/apt/sources.list" <<EOF
deb $DEBIAN_MIRROR $DEBIAN_SUITE main
deb $DEBIAN_MIRROR $DEBIAN_SUITE-updates main
deb http://deb.debian.org/debian-security $DEBIAN_SUITE-security main
EOF
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$tree" -cf "$out.tmp" .
	mv "$out.tmp" "$out"
	remove_tree "$tree"
}

# ---------------------------------------------------------------------------
# Container images for the node's containerd

readonly PATH_ENV=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

build_pause() {
	local bin=$cache/bin key
	key="pause $(sha256sum <"$here/pause.c") $(gcc -dumpfullversion)"
	cached "$key" "$bin/pause" && return

	log "building pause"
	mkdir -p "$bin"
	gcc -Os -static -s -Wall -Werror -o "$bin/pause" "$here/pause.c"
	mark "$key" "$bin/pause"
}

# oci_archive OUT NAME ROOT CONFIG writes an OCI image archive holding ROOT as
# a single layer, named NAME for `ctr images import`; CONFIG is the image's
# "config" object (JSON). The layer tar is reproducible, so an archive whose
# layer and configuration did not change is kept as it is.
oci_archive() {
	local out=$1 name=$2 root=$3 config=$4 work diff_id key
	work=$(mktemp -d "$cache/images/.work.XXXXXX")
	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
		-C "$root" -cf "$work/layer.tar" .
	diff_id=sha256:$(sha256sum <"$work/layer.tar" | cut -d' ' -f1)
	key="$name $diff_id $config"
	if cached "$key" "$out"; then
		rm -rf "$work"
		return
	fi

	log "writing image $name"
	mkdir -p "$work/oci/blobs/sha256"
	nice -n 10 gzip -n <"$work/layer.tar" >"$work/layer.tar.gz"
	local layer config_json manifest
	layer=$(oci_blob "$work/oci" "$work/layer.tar.gz")
	config_json=$(jq -cn --argjson c "$config" --arg d "$diff_id" '{
		architecture: "amd64", os: "linux", config: $c,
		rootfs: {type: "layers", diff_ids: [$d]},
		history: [{created_by: "internal/testenv/kindnode/build.sh"}]}')
	printf '%s' "$config_json" >"$work/config.json"
	config_json=$(oci_blob "$work/oci" "$work/config.json")
	jq -cn --argjson c "$config_json" --argjson l "$layer" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
		config: ($c + {mediaType: "application/vnd.oci.image.config.v1+json"}),
		layers: [$l + {mediaType: "application/vnd.oci.image.layer.v1.tar+gzip"}]}' \
		>"$work/manifest.json"
	manifest=$(oci_blob "$work/oci" "$work/manifest.json")
	jq -cn --argjson m "$manifest" --arg name "$name" '{
		schemaVersion: 2, mediaType: "application/vnd.oci.image.index.v1+json",
		manifests: [$m + {mediaType: "application/vnd.oci.image.manifest.v1+json",
			annotations: {"io.containerd.image.name": $name,
				"org.opencontainers.image.ref.name": ($name | sub(".*:"; ""))}}]}' \
		>"$work/oci/index.json"
	printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci/oci-layout"

	tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$work/oci" \
		-cf "$out.tmp" oci-layout index.json blobs
	mv "$out.tmp" "$out"
	rm -rf "$work"
	mark "$key" "$out"
}

# oci_blob DIR FILE moves FILE into DIR's blob store and prints its
# descriptor (digest and size) as JSON.
oci_blob() {
	local dir=$1 file=$2 digest size
	digest=$(sha256sum <"$file" | cut -d' ' -f1)
	size=$(stat -c %s "$file")
	mv "$file" "$dir/blobs/sha256/$digest"
	printf '{"digest":"sha256:%s","size":%s}' "$digest" "$size"
}

# image_root NAME prints an empty directory to assemble an image's files in.
image_root() {
	local dir=$cache/images/root/$1
	rm -rf "$dir"
	mkdir -p "$dir/tmp" "$dir/etc"
	chmod 1777 "$dir/tmp"
	printf '%s' "$dir"
}

# binary_image OUT NAME BINARY [ENTRYPOINT] packs one static binary into
# /usr/local/bin, where the command names in kubeadm's manifests find it.
binary_image() {
	local out=$1 name=$2 binary=$3 entrypoint=${4:-} root config
	root=$(image_root "${out##*/}")
	install -D -m 755 "$binary" "$root/usr/local/bin/${binary##*/}"
	config=$(jq -cn --arg path "$PATH_ENV" --arg ep "$entrypoint" \
		'{Env: [$path]} + (if $ep == "" then {} else {Entrypoint: [$ep]} end)')
	oci_archive "$out" "$name" "$root" "$config"
}

# busybox_root ROOTFS DIR installs Debian's static busybox and its applets
# into DIR: a shell and coreutils for the images that need one.
busybox_root() {
	local rootfs=$1 dir=$2 applet
	install -D -m 755 "$rootfs/bin/busybox" "$dir/bin/busybox"
	mkdir -p "$dir/usr/bin" "$dir/sbin" "$dir/usr/sbin"
	for applet in $("$dir/bin/busybox" --list-full); do
		[[ -e $dir/$applet ]] || ln -s /bin/busybox "$dir/$applet"
	done
}

# kube_proxy_root ROOTFS DIR adds what kube-proxy runs besides itself:
# iptables (both backends, picked on first use by iptables-select, like the
# node's own), conntrack and the shared libraries and xtables modules they
# load, copied from the node's Debian root.
kube_proxy_root() {
	local rootfs=$1 dir=$2 f lib src tool
	busybox_root "$rootfs" "$dir"
	local files=(/usr/sbin/xtables-legacy-multi /usr/sbin/xtables-nft-multi /usr/sbin/conntrack)
	mapfile -t -O ${#files[@]} files < <(cd "$rootfs" &&
		find usr/lib/x86_64-linux-gnu/xtables -name '*.so' -printf '/%p\n')
	for f in "${files[@]}"; do
		install -D -m 755 "$rootfs$f" "$dir$f"
		for lib in $(chroot "$rootfs" ldd "$f" | grep -o '/[^ ]*'); do
			# Keep each library's mode: the dynamic loader must stay
			# executable, or every exec of the tools fails with EACCES.
			src=$(readlink -f "$rootfs$lib")
			[[ -e $dir$lib ]] || install -D -m "$(stat -c %a "$src")" "$src" "$dir$lib"
		done
	done
	cp "$rootfs/etc/protocols" "$rootfs/etc/ethertypes" "$dir/etc/" 2>/dev/null || true
	for tool in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
		ln -sf xtables-legacy-multi "$dir/usr/sbin/${tool/tables/tables-legacy}"
		ln -sf xtables-nft-multi "$dir/usr/sbin/${tool/tables/tables-nft}"
		ln -sf iptables-select "$dir/usr/sbin/$tool"
	done
	install -m 755 "$here/iptables-select" "$dir/usr/sbin/iptables-select"
}

# build_images writes one OCI archive per image into $cache/images. ROOTFS is
# the unpacked base root, from which busybox and iptables are taken.
build_images() {
	local rootfs=$1 out=$cache/images bin=$cache/bin root c
	mkdir -p "$out"
	for c in kube-apiserver kube-controller-manager kube-scheduler; do
		binary_image "$out/$c.tar" "registry.k8s.io/$c:$KUBE_VERSION" "$bin/$c"
	done
	binary_image "$out/etcd.tar" "registry.k8s.io/etcd:$ETCD_TAG" "$bin/etcd"
	binary_image "$out/local-path-provisioner.tar" \
		"mvm.local/local-path-provisioner:$LOCAL_PATH_VERSION" "$bin/local-path-provisioner"

	root=$(image_root coredns)
	install -m 755 "$bin/coredns" "$root/coredns"
	oci_archive "$out/coredns.tar" "registry.k8s.io/coredns/coredns:$COREDNS_TAG" "$root" \
		'{"Entrypoint":["/coredns"],"ExposedPorts":{"53/tcp":{},"53/udp":{}}}'

	root=$(image_root pause)
	install -m 755 "$bin/pause" "$root/pause"
	oci_archive "$out/pause.tar" "registry.k8s.io/pause:$PAUSE_TAG" "$root" \
		'{"Entrypoint":["/pause"]}'

	root=$(image_root local-path-helper)
	busybox_root "$rootfs" "$root"
	oci_archive "$out/local-path-helper.tar" mvm.local/local-path-helper:v1 "$root" \
		"$(jq -cn --arg p "$PATH_ENV" '{Env: [$p], Cmd: ["/bin/sh"]}')"

	root=$(image_root kube-proxy)
	install -D -m 755 "$bin/kube-proxy" "$root/usr/local/bin/kube-proxy"
	kube_proxy_root "$rootfs" "$root"
	oci_archive "$out/kube-proxy.tar" "registry.k8s.io/kube-proxy:$KUBE_VERSION" "$root" \
		"$(jq -cn --arg p "$PATH_ENV" '{Env: [$p]}')"
	rm -rf "$out/root"
}

# ---------------------------------------------------------------------------
# Node image

# Units the base system enables that a node does not want: timers that touch
# apt or disks, a login prompt, and mounts that fail inside a container.
readonly UNWANTED_UNITS=(
	apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer fstrim.timer
	e2scrub_all.timer e2scrub_reap.service systemd-pstore.service getty@tty1.service
)
readonly MASKED_UNITS=(
	getty.target console-getty.service systemd-binfmt.service
	proc-sys-fs-binfmt_misc.automount sys-kernel-debug.mount
	sys-kernel-tracing.mount sys-kernel-config.mount systemd-firstboot.service
)
readonly NODE_UNITS=(containerd.service kubelet.service mvm-node-cni.service)

# stage_node unpacks the base root into TREE and adds the Kubernetes binaries
# and this directory's node files.
stage_node() {
	local tree=$1 bin=$cache/bin
	remove_tree "$tree"
	mkdir -p "$tree"
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$tree" -xf "$cache/rootfs/base.tar"

	cp -R --no-preserve=ownership "$here/node/." "$tree/"
	chmod -R go-w,a+rX "$tree/etc" "$tree/kind" "$tree/usr/local"
	chmod 755 "$tree"/usr/local/bin/*
	install -m 755 "$bin/kubelet" "$bin/kubeadm" "$bin/kubectl" "$tree/usr/bin/"
	install -m 755 "$bin/crictl" "$tree/usr/local/bin/"
	printf '%s' "$KUBE_VERSION" >"$tree/kind/version"
	mkdir -p "$tree/etc/kubernetes/manifests" "$tree/etc/containerd/certs.d" \
		"$tree/var/lib/kubelet"
	: >"$tree/etc/machine-id"
}

# configure_units enables the node's services and quiets the rest, inside
# TREE (systemctl works on a root that is not running).
configure_units() {
	local tree=$1 u
	for u in "${UNWANTED_UNITS[@]}"; do
		find "$tree/etc/systemd/system" -name "$u" -type l -delete
	done
	chroot "$tree" systemctl mask --quiet "${MASKED_UNITS[@]}"
	chroot "$tree" systemctl enable --quiet "${NODE_UNITS[@]}"
}

# import_images loads the OCI archives into TREE's containerd store through
# import-images.sh, run in TREE in private mount and PID namespaces, so that
# nothing it mounts or starts outlives it.
import_images() {
	local tree=$1
	mkdir -p "$tree/tmp/mvm-images"
	install -m 755 "$here/import-images.sh" "$tree/tmp/import-images.sh"
	# shellcheck disable=SC2016 # $1 and $2 belong to the inner shell.
	unshare --mount --pid --fork --mount-proc="$tree/proc" bash -euo pipefail -c '
		mount --rbind /dev "$1/dev"
		mount --bind "$2" "$1/tmp/mvm-images"
		exec chroot "$1" /tmp/import-images.sh /tmp/mvm-images
	' _ "$tree" "$cache/images"
	rm -rf "$tree/tmp/mvm-images" "$tree/tmp/import-images.sh"
}

# commit_node imports TREE into Docker as the node image, labelled with the
# recipe hash, and drops the image it replaces. `docker import` cannot set a
# stop signal (systemd stops cleanly on SIGRTMIN+3), so the image's settings
# are added by a build with no context on top of the imported root.
commit_node() {
	local tree=$1 hash=$2 old rootfs=${IMAGE%:*}-rootfs:build
	old=$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null) || old=
	tar --numeric-owner --xattrs --xattrs-include='*' -C "$tree" -cf - . |
		docker import - "$rootfs" >/dev/null
	DOCKER_BUILDKIT=0 docker build --quiet --tag "$IMAGE" - >/dev/null <<EOF
FROM $rootfs
ENV container=docker
STOPSIGNAL SIGRTMIN+3
LABEL $RECIPE_LABEL=$hash
ENTRYPOINT ["/usr/local/bin/entrypoint", "/sbin/init"]
EOF
	docker image rm "$rootfs" >/dev/null
	if [[ -n $old && $old != "$(docker image inspect --format '{{.Id}}' "$IMAGE")" ]]; then
		docker image rm "$old" >/dev/null 2>&1 || true
	fi
}

build_node() {
	local hash=$1 tree=$cache/stage
	log "assembling $IMAGE"
	stage_node "$tree"
	build_images "$tree"
	configure_units "$tree"
	import_images "$tree" | sed 's/^/kindnode: imported /' >&2
	commit_node "$tree" "$hash"
	remove_tree "$tree"
}

main() {
	local hash start=$SECONDS
	hash=$(recipe_hash)
	if image_is_current "$hash"; then
		log "$IMAGE is up to date (recipe $hash)"
		return
	fi

	mkdir -p "$cache/bin" "$cache/rootfs" "$cache/images" "$ci_cache/bin"
	local step
	for step in build_kubernetes build_etcd build_coredns build_crictl build_local_path \
		build_kind_cli build_pause build_base_rootfs; do
		timed "$step"
	done
	timed build_node "$hash"
	log "built $IMAGE (recipe $hash) in $((SECONDS - start)) s"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	main "$@"
fi
