package bootstrap

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Package is one binary package of a Packages index, reduced to what the
// bootstrap needs.
type Package struct {
	Name         string
	Version      string
	Architecture string
	Priority     string
	Essential    bool

	// PreDepends, Depends and Provides keep the raw relation fields; they
	// are parsed only for the few packages the resolver visits.
	PreDepends string
	Depends    string
	Provides   string

	// Mirror is the archive root that Filename is relative to, which
	// differs between the release and its security updates.
	Mirror   string
	Filename string
	Size     int64
	SHA256   string
}

// parsePackage builds a Package from one Packages paragraph.
func parsePackage(p paragraph) (*Package, error) {
	pkg := &Package{
		Name:         p.get("Package"),
		Version:      p.get("Version"),
		Architecture: p.get("Architecture"),
		Priority:     p.get("Priority"),
		Essential:    p.get("Essential") == "yes",
		PreDepends:   p.get("Pre-Depends"),
		Depends:      p.get("Depends"),
		Provides:     p.get("Provides"),
		Filename:     p.get("Filename"),
		SHA256:       strings.ToLower(p.get("SHA256")),
	}
	if pkg.Name == "" || pkg.Version == "" || pkg.Filename == "" {
		return nil, errors.New("stanza lacks Package, Version or Filename")
	}
	if !validPackageName(pkg.Name) {
		return nil, fmt.Errorf("invalid package name %q", pkg.Name)
	}
	if !validSHA256(pkg.SHA256) {
		return nil, fmt.Errorf("package %s has no valid SHA256", pkg.Name)
	}

	size, err := strconv.ParseInt(p.get("Size"), 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("package %s has an invalid Size %q", pkg.Name, p.get("Size"))
	}
	pkg.Size = size
	return pkg, nil
}

// readPackages parses a Packages index and returns its packages. An index can
// hold several versions of one package; all are returned.
func readPackages(r io.Reader, mirror string) ([]*Package, error) {
	cr := newControlReader(r)
	var pkgs []*Package
	for {
		p, err := cr.next()
		if err == io.EOF {
			return pkgs, nil
		}
		if err != nil {
			return nil, err
		}

		pkg, err := parsePackage(p)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", cr.line, err)
		}
		pkg.Mirror = mirror
		pkgs = append(pkgs, pkg)
	}
}

// validPackageName reports whether name uses only the characters Debian
// policy allows (lowercase letters, digits, "+", "-", "."; starting with a
// letter or digit). The names end up in file names and in the second-stage
// shell script, so nothing else is let through.
func validPackageName(name string) bool {
	if name == "" || !isLowerAlnum(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if c := name[i]; !isLowerAlnum(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || isDigit(c) }

func validSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) && (s[i] < 'a' || s[i] > 'f') {
			return false
		}
	}
	return true
}
