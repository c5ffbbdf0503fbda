#!/usr/bin/env bash
# test.sh runs every test of mvm against the real engines of this machine:
# the Docker Engine, a Kind cluster, the terraform binary and a headless
# Chromium. It first prepares what those tests need and caches the heavy
# parts under ${MVM_CI_CACHE:-/var/cache/mvm-ci}, so only the first run on a
# machine pays for them (about 40 minutes; later runs a few):
#   - Debian packages: chromium (browser end-to-end test), debootstrap and
#     friends for the Kind node image;
#   - the desktop images (slim and full), through mvm itself;
#   - an offline Kind node image (Kubernetes built from the Go module proxy);
#   - a Terraform provider mirror (providers built from the Go module proxy).
#
# Usage: internal/testenv/test.sh [go test flags and packages]
#   default packages: ./...
# Environment: MVM_E2E (default "all"), MVM_CI_CACHE, CI.
set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
export MVM_E2E=${MVM_E2E:-all}
export MVM_CI_CACHE=${MVM_CI_CACHE:-/var/cache/mvm-ci}
export CHECKPOINT_DISABLE=1

say() { printf '• %s\n' "$*" >&2; }

need_packages() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "✗ missing Debian packages: ${missing[*]} (run this script as root once, or install them)" >&2
		return 1
	fi
	say "Installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

command -v go >/dev/null || { echo "✗ Go is not on PATH (https://go.dev/dl)" >&2; exit 1; }
docker version >/dev/null || { echo "✗ the Docker Engine is not reachable" >&2; exit 1; }
need_packages chromium debootstrap jq containernetworking-plugins util-linux iproute2

mkdir -p "$MVM_CI_CACHE"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# The Kind node image is CPU-bound (a Go build of Kubernetes); the desktop
# images are mostly downloads. Running them side by side uses both.
say "Preparing the Kind node image (cached; the first build takes about 30 minutes)"
internal/testenv/kindnode/build.sh >"$logs/kindnode.log" 2>&1 &
kindnode=$!

say "Building the desktop images"
go build -o "$logs/mvm" ./cmd/mvm
"$logs/mvm" build --flavor slim >/dev/null
"$logs/mvm" build --flavor full >/dev/null

say "Preparing the Terraform provider mirror (cached)"
internal/testenv/tfmirror/build.sh >"$logs/tfmirror.log" 2>&1 || { tail -30 "$logs/tfmirror.log" >&2; exit 1; }

if ! wait "$kindnode"; then
	tail -40 "$logs/kindnode.log" >&2
	echo "✗ the Kind node image could not be built (log above)" >&2
	exit 1
fi
say "Fixtures ready"

# kind's Docker provider runs nodes with --privileged, which this kind of VM
# refuses; the wrapper first in PATH rewrites it (see bin/docker).
export PATH="$root/internal/testenv/bin:$PATH"

args=("$@")
[ ${#args[@]} -eq 0 ] && args=(./...)
# -count=1: results against engines must not come from Go's test cache, which
# cannot see that an engine or fixture changed.
say "go test -count=1 -timeout 60m ${args[*]}"
exec go test -count=1 -timeout 60m "${args[@]}"
