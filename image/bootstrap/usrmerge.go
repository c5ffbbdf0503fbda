package bootstrap

import (
	"path"
	"strings"
)

// usrMerge describes a merged-/usr layout: each aliased top-level directory
// is a symbolic link into /usr, and files that packages still ship under the
// aliases are written to their real place under /usr instead.
type usrMerge struct {
	aliases []string
}

// newUsrMerge returns the layout for a Debian architecture. 64-bit x86 keeps
// its dynamic loader in /lib64, so that alias exists only there.
func newUsrMerge(arch string) usrMerge {
	aliases := []string{"bin", "sbin", "lib"}
	if arch == "amd64" {
		aliases = append(aliases, "lib64")
	}
	return usrMerge{aliases: aliases}
}

// rewrite turns a path from a package's data.tar ("./bin/sh", "bin/",
// "/usr/lib/x") into the clean relative path it gets in the merged root
// ("usr/bin/sh"). It returns "" for the root itself and ok=false for a path
// that would escape the root.
func (m usrMerge) rewrite(name string) (string, bool) {
	p, ok := cleanPath(name)
	if !ok || p == "" {
		return p, ok
	}
	top, _, _ := strings.Cut(p, "/")
	for _, a := range m.aliases {
		if top == a {
			return "usr/" + p, true
		}
	}
	return p, true
}

// isAlias reports whether name is one of the aliased top-level directories
// itself. Packages of newer releases ship those links (base-files in
// trixie); the layout already has them, so such entries are skipped.
func (m usrMerge) isAlias(name string) bool {
	p, ok := cleanPath(name)
	if !ok {
		return false
	}
	for _, a := range m.aliases {
		if p == a {
			return true
		}
	}
	return false
}

// cleanPath makes name relative and clean, refusing any ".." component.
func cleanPath(name string) (string, bool) {
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", false
		}
	}
	p := strings.TrimPrefix(path.Clean("/"+name), "/")
	return p, true
}
