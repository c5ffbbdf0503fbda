#!/usr/bin/env bash
# Builds the Terraform providers that mvm's tests need from the Go module proxy
# and installs them into a filesystem mirror, so that `terraform init` works
# with no provider registry. Writes a CLI configuration file, terraformrc,
# that installs providers from that mirror only.
#
#   ${MVM_CI_CACHE:-/var/cache/mvm-ci}/tf-mirror/
#     terraformrc
#     registry.terraform.io/hashicorp/google/<version>/linux_amd64/terraform-provider-google_v<version>
#
# A fast no-op when the mirror is complete; rebuilds what is missing. Go
# modules for the build live under ${MVM_CI_CACHE}/tf-mirror-build, never in
# the repository.
set -euo pipefail

cache=${MVM_CI_CACHE:-/var/cache/mvm-ci}
mirror=$cache/tf-mirror
work=$cache/tf-mirror-build
platform=linux_amd64

# The only hashicorp/google source the Go module proxy serves: a development
# build from 1 February 2022, after 4.8.0 and before 4.9.0. Its mirror version
# is a pre-release so that nothing can take it for a real release.
google_module=github.com/hashicorp/terraform-provider-google
google_pseudo=v1.20.1-0.20220201002249-bc5fcb3c89a5
google_version=4.9.0-dev.20220201

say() { printf 'tfmirror: %s\n' "$*" >&2; }

# provider_path NAME VERSION prints where the mirror keeps that provider.
provider_path() {
  printf '%s/registry.terraform.io/hashicorp/%s/%s/%s/terraform-provider-%s_v%s' \
    "$mirror" "$1" "$2" "$platform" "$1" "$2"
}

# build_provider NAME GO_MODULE GO_VERSION VERSION builds one provider binary
# through a wrapper module and moves it into the mirror in one step, so that
# an interrupted build leaves nothing half-written behind.
build_provider() {
  local name=$1 module=$2 goversion=$3 version=$4
  local dest dir
  dest=$(provider_path "$name" "$version")
  if [[ -x $dest ]]; then
    say "$name $version present"
    return
  fi

  say "building $name $version from $module@$goversion (a few minutes)"
  dir=$work/$name
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<MOD
module mvm.invalid/tfmirror/$name

go 1.21

require $module $goversion
MOD
  local start=$SECONDS
  (
    cd "$dir"
    export GOFLAGS=-mod=mod CGO_ENABLED=0 GOTOOLCHAIN=local
    nice -n 10 go mod download "$module"
    nice -n 10 go build -trimpath -ldflags='-s -w' -o "$dir/terraform-provider-$name" "$module"
  )
  mkdir -p "$(dirname "$dest")"
  mv "$dir/terraform-provider-$name" "$dest.tmp"
  mv "$dest.tmp" "$dest"
  say "built $name $version in $((SECONDS - start))s"
}

# write_config writes terraformrc: providers come from the mirror only, and
# terraform makes no version check over the network.
write_config() {
  local tmp=$mirror/terraformrc.tmp
  cat >"$tmp" <<CONF
# Written by internal/testenv/tfmirror/build.sh: install providers from the
# local filesystem mirror only; no registry is contacted.
disable_checkpoint = true

provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/hashicorp/*"]
  }
}
CONF
  mv "$tmp" "$mirror/terraformrc"
}

main() {
  mkdir -p "$mirror" "$work"

  # One build at a time: two test runs may start this script together.
  exec 9>"$work/.lock"
  flock 9

  build_provider google "$google_module" "$google_pseudo" "$google_version"
  write_config
  say "mirror ready: TF_CLI_CONFIG_FILE=$mirror/terraformrc"
}

main "$@"
