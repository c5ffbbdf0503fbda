package bootstrap

import (
	"fmt"
	"strings"
)

// relation is one alternative of a dependency field, "name (op version)".
// Op is "" for an unversioned relation.
type relation struct {
	Name    string
	Op      string
	Version string
}

// String formats the relation as it appears in a control file.
func (r relation) String() string {
	if r.Op == "" {
		return r.Name
	}
	return r.Name + " (" + r.Op + " " + r.Version + ")"
}

// satisfiedBy reports whether a package at version satisfies the relation's
// version constraint.
func (r relation) satisfiedBy(version string) bool {
	if r.Op == "" {
		return true
	}
	c := compareVersions(version, r.Version)
	switch r.Op {
	case "<<":
		return c < 0
	case "<=":
		return c <= 0
	case "=":
		return c == 0
	case ">=":
		return c >= 0
	case ">>":
		return c > 0
	}
	return false
}

// parseRelations parses a Depends-style field into groups of alternatives:
// "a (>= 1) | b, c:any" becomes [[a >= 1, b], [c]]. Architecture qualifiers
// (":any", ":native") are dropped: the bootstrap installs one architecture.
// Architecture lists and build profiles, which only source packages use,
// are skipped too.
func parseRelations(s string) ([][]relation, error) {
	var groups [][]relation
	for _, group := range strings.Split(s, ",") {
		if strings.TrimSpace(group) == "" {
			continue
		}
		var alts []relation
		for _, alt := range strings.Split(group, "|") {
			r, err := parseRelation(alt)
			if err != nil {
				return nil, err
			}
			alts = append(alts, r)
		}
		groups = append(groups, alts)
	}
	return groups, nil
}

func parseRelation(s string) (relation, error) {
	name, constraint, err := splitRelation(s)
	if err != nil {
		return relation{}, err
	}
	name, _, _ = strings.Cut(name, ":")
	if !validPackageName(name) {
		return relation{}, fmt.Errorf("invalid relation %q", strings.TrimSpace(s))
	}
	if constraint == "" {
		return relation{Name: name}, nil
	}

	op, version, err := splitConstraint(constraint)
	if err != nil {
		return relation{}, fmt.Errorf("invalid relation %q: %w", strings.TrimSpace(s), err)
	}
	return relation{Name: name, Op: op, Version: version}, nil
}

// splitRelation splits "name (constraint) [archs] <profiles>" into the name
// and the constraint, dropping architecture lists and build profiles, which
// only source packages use. Brackets are stripped outside the parentheses
// only, where "<" is an operator.
func splitRelation(s string) (name, constraint string, err error) {
	open := strings.IndexByte(s, '(')
	if open < 0 {
		return strings.TrimSpace(stripQualifiers(s)), "", nil
	}
	end := strings.IndexByte(s[open:], ')')
	if end < 0 {
		return "", "", fmt.Errorf("invalid relation %q: unclosed parenthesis", strings.TrimSpace(s))
	}
	end += open

	rest := strings.TrimSpace(stripQualifiers(s[end+1:]))
	if rest != "" {
		return "", "", fmt.Errorf("invalid relation %q: text after the version", strings.TrimSpace(s))
	}
	return strings.TrimSpace(stripQualifiers(s[:open])), strings.TrimSpace(s[open+1 : end]), nil
}

func stripQualifiers(s string) string {
	return stripBracketed(stripBracketed(s, '[', ']'), '<', '>')
}

// splitConstraint splits ">= 1.2" (or ">=1.2") into its operator and version.
// The obsolete "<" and ">" mean "<=" and ">=".
func splitConstraint(c string) (op, version string, err error) {
	for _, candidate := range []string{"<<", "<=", ">=", ">>", "=", "<", ">"} {
		if v, ok := strings.CutPrefix(c, candidate); ok {
			op, version = candidate, strings.TrimSpace(v)
			break
		}
	}
	switch op {
	case "":
		return "", "", fmt.Errorf("no operator in %q", c)
	case "<":
		op = "<="
	case ">":
		op = ">="
	}
	if version == "" || strings.ContainsAny(version, " ()") {
		return "", "", fmt.Errorf("invalid version in %q", c)
	}
	return op, version, nil
}

// stripBracketed removes every open…close section from s.
func stripBracketed(s string, open, close byte) string {
	for {
		i := strings.IndexByte(s, open)
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], close)
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+1:]
	}
}
