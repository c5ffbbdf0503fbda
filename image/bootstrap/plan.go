package bootstrap

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// recipeVersion changes whenever the way an image is built changes in a way
// the package list does not show, so that the stamp changes with it.
const recipeVersion = "1"

// plan is what the bootstrap installs, worked out from the mirror before
// anything is downloaded.
type plan struct {
	Suite   string
	Arch    string
	Pockets []pocket
	Date    time.Time // the newest Release date among the pockets

	// Required is the closure of the packages of priority "required",
	// unpacked by the first stage; Base is what the closure of the rest of
	// the roots adds, unpacked only by the second stage.
	Required []*Package
	Base     []*Package
}

// all returns every package of the plan.
func (p *plan) all() []*Package {
	return append(append([]*Package(nil), p.Required...), p.Base...)
}

// core returns the core packages that the plan has, in installation order.
func (p *plan) core() []string {
	have := map[string]bool{}
	for _, pkg := range p.Required {
		have[pkg.Name] = true
	}
	var out []string
	for _, name := range corePackages {
		if have[name] {
			out = append(out, name)
		}
	}
	return out
}

// requiredRest returns the required packages that are not core packages.
func (p *plan) requiredRest() []*Package {
	core := map[string]bool{}
	for _, name := range p.core() {
		core[name] = true
	}
	var out []*Package
	for _, pkg := range p.Required {
		if !core[pkg.Name] {
			out = append(out, pkg)
		}
	}
	return out
}

// downloadSize is the total size of the plan's .deb files.
func (p *plan) downloadSize() int64 {
	var n int64
	for _, pkg := range p.all() {
		n += pkg.Size
	}
	return n
}

// stamp identifies the image's content: the same packages, configuration
// and recipe give the same stamp, so an image carrying it need not be built
// again.
func (p *plan) stamp(files []imageFile, labels map[string]string) string {
	h := sha256.New()
	fmt.Fprintf(h, "recipe %s\narch %s\n", recipeVersion, p.Arch)
	for _, l := range labelChanges(labels) {
		fmt.Fprintln(h, l)
	}
	fmt.Fprintf(h, "script %d\n%s\n", len(stage2Script), stage2Script)
	for _, f := range files {
		fmt.Fprintf(h, "file %s %o %d\n%s\n", f.Path, f.Mode, len(f.Data), f.Data)
	}

	pkgs := p.all()
	sort.Slice(pkgs, func(i, j int) bool { return pkgs[i].Name < pkgs[j].Name })
	for _, pkg := range pkgs {
		fmt.Fprintf(h, "package %s %s %s\n", pkg.Name, pkg.Version, pkg.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// names returns the packages' names.
func names(pkgs []*Package) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = p.Name
	}
	return out
}

// mergedUsrMarker is the empty package that declares /usr merged. The root
// filesystem is merged from the start, so it satisfies the dependencies
// that would otherwise pull in usrmerge, the conversion tool, and perl.
const mergedUsrMarker = "usr-is-merged"

// splitPlan resolves the required closure and what the other roots add.
func splitPlan(idx *index, extra []string) (required, base []*Package, err error) {
	roots := idx.withPriority("required")
	if idx.packages[mergedUsrMarker] != nil {
		roots = append(roots, mergedUsrMarker)
	}

	required, err = resolve(idx, roots)
	if err != nil {
		return nil, nil, err
	}
	all, err := resolve(idx, append(roots, extra...))
	if err != nil {
		return nil, nil, err
	}

	inRequired := map[string]bool{}
	for _, pkg := range required {
		inRequired[pkg.Name] = true
	}
	for _, pkg := range all {
		if !inRequired[pkg.Name] {
			base = append(base, pkg)
		}
	}
	return required, base, nil
}
