// Package image builds the mvm desktop image through the Docker Engine API.
//
// The build context is made from files embedded in the mvm binary (the
// Dockerfile, the files copied into the image) plus the agent binary, which
// mvm compiles for the engine's platform with the host's Go toolchain. A
// content hash of that context, the flavor and the base image labels the
// result, so building again with nothing changed is a no-op.
package image

import (
	"embed"
	"fmt"
)

// files is the build context that ships inside mvm.
//
//go:embed Dockerfile dpkg-excludes control rootfs rootfs-full all:home
var files embed.FS

// Flavor selects what the image contains.
type Flavor string

// The flavors, built from the same Dockerfile as different targets.
const (
	// Full has Firefox ESR and is the default.
	Full Flavor = "full"
	// Slim has no browser.
	Slim Flavor = "slim"
)

// ParseFlavor checks a flavor name given by a user.
func ParseFlavor(s string) (Flavor, error) {
	switch Flavor(s) {
	case Full, Slim:
		return Flavor(s), nil
	}
	return "", fmt.Errorf("unknown image flavor %q: use %q or %q", s, Full, Slim)
}

// Repository is the name of desktop images. Its registry-like prefix means
// the engine never tries to pull it from Docker Hub.
const Repository = "mvm.local/desktop"

// Labels that mvm puts on what it builds and runs.
const (
	LabelManaged = "mvm.dev/managed-by"
	LabelContent = "mvm.dev/content"
	LabelFlavor  = "mvm.dev/flavor"
	LabelVersion = "mvm.dev/version"
	LabelBase    = "mvm.dev/base"
)

// Ref is the reference of a desktop image of this flavor and content hash.
func Ref(f Flavor, hash string) string {
	return fmt.Sprintf("%s:%s-%s", Repository, f, hash[:12])
}

// LatestRef is the moving tag that points at the last build of a flavor.
func LatestRef(f Flavor) string {
	return fmt.Sprintf("%s:%s", Repository, f)
}
