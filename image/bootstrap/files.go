package bootstrap

import (
	"fmt"
	"strings"
)

// imageFile is a configuration file the bootstrap writes into the image.
type imageFile struct {
	Path string
	Mode int64
	Data string
}

// slimExcludes is the dpkg configuration that keeps documentation, manual
// pages and translations out of the image, during the bootstrap and for
// every later package install, as Debian's slim images do. Copyright files
// stay: the licences require them.
const slimExcludes = `# Keep the image small: install no documentation, manual pages or
# translations. Licences stay with every package.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
`

// unsafeIO skips dpkg's fsync calls: a container layer is either committed
// whole or thrown away, so they only cost time.
const unsafeIO = `# Image layers are committed whole or discarded; skip the fsync calls.
force-unsafe-io
`

// aptClean keeps downloaded packages and apt's binary caches out of image
// layers, so that "apt-get install" in a Dockerfile leaves no cache behind.
const aptClean = `// Delete downloaded packages once they are installed, and keep no binary
// package caches: image layers should not carry them.
APT::Keep-Downloaded-Packages "false";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
`

// aptNoLanguages skips the translated package descriptions on apt-get update.
const aptNoLanguages = `// Fetch no translated package descriptions.
Acquire::Languages "none";
`

// imageFiles returns the configuration files of the image for the pockets
// it was built from.
func imageFiles(pockets []pocket) []imageFile {
	return []imageFile{
		{Path: "etc/apt/sources.list", Mode: 0o644, Data: sourcesList(pockets)},
		{Path: "etc/dpkg/dpkg.cfg.d/excludes", Mode: 0o644, Data: slimExcludes},
		{Path: "etc/dpkg/dpkg.cfg.d/unsafe-io", Mode: 0o644, Data: unsafeIO},
		{Path: "etc/apt/apt.conf.d/docker-clean", Mode: 0o644, Data: aptClean},
		{Path: "etc/apt/apt.conf.d/docker-no-languages", Mode: 0o644, Data: aptNoLanguages},
	}
}

// sourcesList lists the pockets' main components for apt.
func sourcesList(pockets []pocket) string {
	var b strings.Builder
	for _, p := range pockets {
		fmt.Fprintf(&b, "deb %s %s main\n", p.Mirror, p.Suite)
	}
	return b.String()
}
