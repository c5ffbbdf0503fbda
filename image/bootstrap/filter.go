package bootstrap

import (
	"archive/tar"
	"io"
	"strings"
)

// droppedTrees lose everything below them in the final image; the
// directories themselves stay, since later installs expect them.
var droppedTrees = []string{
	"usr/share/info", "usr/share/groff", "usr/share/lintian", "usr/share/linda", "usr/share/locale",
	"tmp", "var/tmp", "proc", "sys", "dev",
}

// emptiedTrees keep their subdirectories but lose their files: caches,
// package lists and logs that the bootstrap left, and manual pages, whose
// directories some packages' scripts expect to find.
var emptiedTrees = []string{
	"usr/share/man", "var/lib/apt/lists", "var/cache/apt", "var/log",
}

// droppedFiles are single files the bootstrap or the engine left behind.
var droppedFiles = []string{
	".dockerenv", "var/cache/ldconfig/aux-cache", "var/lib/dpkg/available-old",
	"var/lib/dpkg/status-old", "var/lib/dpkg/diversions-old", "var/cache/debconf/config.dat-old",
	"var/cache/debconf/templates.dat-old", "var/cache/debconf/passwords.dat-old",
}

// engineStubs are empty files that the engine creates in every container to
// mount over; a container made from the image gets them again.
var engineStubs = []string{"etc/hostname", "etc/hosts", "etc/resolv.conf"}

// keepInImage decides whether an entry of the exported container goes into
// the final image: it drops the bootstrap's own files, documentation except
// copyright files, manual pages, translations, caches and logs, as Debian's
// slim images do.
func keepInImage(h *tar.Header) bool {
	name, ok := cleanPath(h.Name)
	if !ok || name == "" {
		return ok
	}
	dir := h.Typeflag == tar.TypeDir

	switch {
	case name == stagingDir || within(name, stagingDir):
		return false
	case within(name, "usr/share/doc"):
		return keepDoc(strings.TrimPrefix(name, "usr/share/doc/"), dir)
	case withinAny(name, droppedTrees):
		return false
	case withinAny(name, emptiedTrees):
		return dir
	case contains(droppedFiles, name):
		return false
	case contains(engineStubs, name):
		return h.Size > 0
	}
	return true
}

// keepDoc keeps /usr/share/doc/<package>/ and its copyright file.
func keepDoc(rel string, dir bool) bool {
	parts := strings.Split(rel, "/")
	switch len(parts) {
	case 1:
		return dir
	case 2:
		return parts[1] == "copyright" && !dir
	}
	return false
}

// within reports whether name lies strictly below dir.
func within(name, dir string) bool {
	return strings.HasPrefix(name, dir+"/")
}

func withinAny(name string, dirs []string) bool {
	for _, d := range dirs {
		if within(name, d) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// filterTar copies the entries of a tar stream that keep accepts and
// returns the total size of the regular files kept. A hard link to a file
// that was dropped is dropped too, since it could not be unpacked.
func filterTar(r io.Reader, w io.Writer, keep func(*tar.Header) bool) (int64, error) {
	tr, tw := tar.NewReader(r), tar.NewWriter(w)
	dropped := map[string]bool{}
	var size int64
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return size, tw.Close()
		}
		if err != nil {
			return size, err
		}
		if !keep(h) || (h.Typeflag == tar.TypeLink && dropped[h.Linkname]) {
			dropped[h.Name] = true
			continue
		}

		if err := tw.WriteHeader(h); err != nil {
			return size, err
		}
		if h.Typeflag == tar.TypeReg {
			n, err := io.Copy(tw, tr)
			if err != nil {
				return size, err
			}
			size += n
		}
	}
}
