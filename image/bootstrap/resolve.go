package bootstrap

import (
	"fmt"
	"sort"
	"strings"
)

// resolve returns roots and everything they need through Pre-Depends and
// Depends, sorted by name.
//
// Version constraints are honoured: an alternative whose only version does
// not satisfy the constraint is not chosen. A group of alternatives that a
// package already chosen satisfies, directly or through Provides, adds
// nothing; otherwise the first alternative that a real package satisfies is
// taken, as apt does, and only then a provider of a virtual package, the
// most basic priority first. Recommends are ignored, as in debootstrap.
func resolve(idx *index, roots []string) ([]*Package, error) {
	r := &resolver{idx: idx, selected: map[string]*Package{}}
	for _, name := range roots {
		p := r.choose([]relation{{Name: name}})
		if p == nil {
			return nil, fmt.Errorf("package %s is not in the index", name)
		}
		r.add(p)
	}

	for len(r.queue) > 0 {
		p := r.queue[0]
		r.queue = r.queue[1:]
		if err := r.visit(p); err != nil {
			return nil, err
		}
	}
	return r.sorted(), nil
}

type resolver struct {
	idx      *index
	selected map[string]*Package
	queue    []*Package
}

func (r *resolver) add(p *Package) {
	if r.selected[p.Name] == nil {
		r.selected[p.Name] = p
		r.queue = append(r.queue, p)
	}
}

// visit selects what p's Pre-Depends and Depends need.
func (r *resolver) visit(p *Package) error {
	for _, field := range []string{p.PreDepends, p.Depends} {
		groups, err := parseRelations(field)
		if err != nil {
			return fmt.Errorf("package %s: %w", p.Name, err)
		}
		for _, group := range groups {
			if r.satisfied(group) {
				continue
			}
			c := r.choose(group)
			if c == nil {
				return fmt.Errorf("package %s depends on %s, which no package in the index satisfies",
					p.Name, formatGroup(group))
			}
			r.add(c)
		}
	}
	return nil
}

// satisfied reports whether a selected package satisfies one of the
// alternatives.
func (r *resolver) satisfied(group []relation) bool {
	for _, alt := range group {
		if p := r.selected[alt.Name]; p != nil && alt.satisfiedBy(p.Version) {
			return true
		}
		for _, prov := range r.idx.providers[alt.Name] {
			if r.selected[prov.pkg.Name] == prov.pkg && provides(alt, prov) {
				return true
			}
		}
	}
	return false
}

// choose picks the package that satisfies a group of alternatives.
func (r *resolver) choose(group []relation) *Package {
	for _, alt := range group {
		if p := r.idx.packages[alt.Name]; p != nil && alt.satisfiedBy(p.Version) {
			return p
		}
	}
	for _, alt := range group {
		if p := r.bestProvider(alt); p != nil {
			return p
		}
	}
	return nil
}

func (r *resolver) bestProvider(alt relation) *Package {
	var best *Package
	for _, prov := range r.idx.providers[alt.Name] {
		if !provides(alt, prov) {
			continue
		}
		if best == nil || morebasic(prov.pkg, best) {
			best = prov.pkg
		}
	}
	return best
}

func morebasic(a, b *Package) bool {
	ra, rb := priorityRank(a.Priority), priorityRank(b.Priority)
	if ra != rb {
		return ra < rb
	}
	return a.Name < b.Name
}

// provides reports whether a Provides entry satisfies a relation: any entry
// satisfies an unversioned relation, only a versioned one a versioned
// relation.
func provides(alt relation, prov provider) bool {
	if alt.Op == "" {
		return true
	}
	return prov.version != "" && alt.satisfiedBy(prov.version)
}

func (r *resolver) sorted() []*Package {
	out := make([]*Package, 0, len(r.selected))
	for _, p := range r.selected {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func formatGroup(group []relation) string {
	parts := make([]string, len(group))
	for i, r := range group {
		parts[i] = r.String()
	}
	return strings.Join(parts, " | ")
}
