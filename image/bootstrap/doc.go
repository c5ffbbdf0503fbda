// Package bootstrap creates a minimal Debian base image from a Debian mirror,
// for engines that can pull nothing from a registry.
//
// It does what debootstrap's minbase variant does, without any tool on the
// host. The first stage runs in this process: it fetches the suite's
// InRelease file and checks its OpenPGP signature against Debian's archive
// keys embedded here, verifies the package index and every package against
// the checksums that the signed file lists, resolves the required packages
// and their dependencies, and streams a root filesystem with merged /usr into
// the engine as an image. The second stage runs dpkg inside a container made
// from that image, with no network, to install and configure every package.
// The finished container is exported, stripped of documentation, caches and
// the bootstrap's own files, and imported as the final image.
//
// [Build] is the entry point; it removes every intermediate image and
// container it made, also when it fails or is cancelled.
package bootstrap
