package bootstrap

import (
	"sort"
	"strings"
)

// index is the set of installable packages: the newest version of each
// package across the release and its update pockets, plus who provides
// which virtual package.
type index struct {
	packages  map[string]*Package
	providers map[string][]provider
}

// provider is a package that lists a virtual package in its Provides field,
// optionally at a version ("Provides: foo (= 1.0)").
type provider struct {
	pkg     *Package
	version string
}

// newIndex keeps the newest version of every package name among lists, which
// is what apt installs when the release and its security pocket both carry
// a package.
func newIndex(lists ...[]*Package) *index {
	idx := &index{packages: map[string]*Package{}, providers: map[string][]provider{}}
	for _, list := range lists {
		for _, p := range list {
			old := idx.packages[p.Name]
			if old == nil || compareVersions(p.Version, old.Version) > 0 {
				idx.packages[p.Name] = p
			}
		}
	}

	for _, name := range idx.names() {
		idx.addProvides(idx.packages[name])
	}
	return idx
}

// addProvides records p's Provides. A malformed field, which Debian's archive
// never has, makes p provide nothing rather than failing the whole index.
func (idx *index) addProvides(p *Package) {
	if p.Provides == "" {
		return
	}
	groups, err := parseRelations(p.Provides)
	if err != nil {
		return
	}
	for _, group := range groups {
		for _, r := range group {
			idx.providers[r.Name] = append(idx.providers[r.Name], provider{pkg: p, version: r.Version})
		}
	}
}

// names returns the package names in sorted order.
func (idx *index) names() []string {
	names := make([]string, 0, len(idx.packages))
	for n := range idx.packages {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// withPriority returns the names of the packages of the given priority.
func (idx *index) withPriority(priority string) []string {
	var names []string
	for _, n := range idx.names() {
		if strings.EqualFold(idx.packages[n].Priority, priority) {
			names = append(names, n)
		}
	}
	return names
}

// priorityRank orders priorities from most to least basic, so that among
// several providers of a virtual package the most basic one is chosen.
func priorityRank(priority string) int {
	switch strings.ToLower(priority) {
	case "required":
		return 0
	case "important":
		return 1
	case "standard":
		return 2
	case "optional":
		return 3
	}
	return 4
}
