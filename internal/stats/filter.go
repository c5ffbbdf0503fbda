package stats

import (
	"fmt"
	"path"
	"slices"
)

// Targets are the places a desktop can run, in the order snapshots list them.
func Targets() []string { return []string{"docker", "kind", "minikube", "gke"} }

// Filter selects desktops by target and by name. An empty list selects all.
type Filter struct {
	// Targets are target names, as [Targets] gives them.
	Targets []string
	// Names are desktop names or shell patterns such as "dev-*".
	Names []string
}

// Check reports an unknown target or a malformed name pattern.
func (f Filter) Check() error {
	for _, t := range f.Targets {
		if !slices.Contains(Targets(), t) {
			return fmt.Errorf("unknown target %q: give one of %v", t, Targets())
		}
	}
	for _, n := range f.Names {
		if _, err := path.Match(n, ""); err != nil {
			return fmt.Errorf("bad name pattern %q: %w", n, err)
		}
	}
	return nil
}

// WantsTarget reports whether the filter selects any desktop of target.
func (f Filter) WantsTarget(target string) bool {
	return len(f.Targets) == 0 || slices.Contains(f.Targets, target)
}

// Match reports whether the filter selects the desktop name on target.
func (f Filter) Match(target, name string) bool {
	if !f.WantsTarget(target) {
		return false
	}
	if len(f.Names) == 0 {
		return true
	}
	for _, p := range f.Names {
		if ok, _ := path.Match(p, name); ok {
			return true
		}
	}
	return false
}
