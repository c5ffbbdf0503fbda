package bootstrap

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// pkg is a compact way to write a package for resolver tests:
// "name version priority" plus its Depends and Provides.
func pkg(spec, depends, provides string) *Package {
	f := strings.Fields(spec)
	p := &Package{Name: f[0], Version: f[1], Depends: depends, Provides: provides}
	if len(f) > 2 {
		p.Priority = f[2]
	}
	return p
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pkgs    []*Package
		roots   []string
		want    []string
		wantErr string
	}{
		{
			name:  "transitive closure, sorted",
			pkgs:  []*Package{pkg("a 1", "b", ""), pkg("b 1", "c (>= 1)", ""), pkg("c 2", "", ""), pkg("d 1", "", "")},
			roots: []string{"a"},
			want:  []string{"a=1", "b=1", "c=2"},
		},
		{
			name:  "first satisfiable alternative",
			pkgs:  []*Package{pkg("a 1", "x | b | c", ""), pkg("b 1", "", ""), pkg("c 1", "", "")},
			roots: []string{"a"},
			want:  []string{"a=1", "b=1"},
		},
		{
			name: "alternative already chosen wins over the first",
			pkgs: []*Package{
				pkg("a 1", "heavy | light", ""), pkg("heavy 1", "", ""), pkg("light 1", "", ""),
			},
			roots: []string{"a", "light"},
			want:  []string{"a=1", "light=1"},
		},
		{
			name:  "version constraint skips an alternative",
			pkgs:  []*Package{pkg("a 1", "b (>= 2) | c", ""), pkg("b 1", "", ""), pkg("c 1", "", "")},
			roots: []string{"a"},
			want:  []string{"a=1", "c=1"},
		},
		{
			name: "virtual package through Provides, most basic provider",
			pkgs: []*Package{
				pkg("a 1", "awk", ""), pkg("gawk 1 optional", "", "awk"), pkg("mawk 1 required", "", "awk"),
			},
			roots: []string{"a"},
			want:  []string{"a=1", "mawk=1"},
		},
		{
			name:  "provider already chosen satisfies",
			pkgs:  []*Package{pkg("a 1", "awk", ""), pkg("gawk 1 optional", "", "awk"), pkg("mawk 1 required", "", "awk")},
			roots: []string{"a", "gawk"},
			want:  []string{"a=1", "gawk=1"},
		},
		{
			name: "versioned relation needs a versioned Provides",
			pkgs: []*Package{
				pkg("a 1", "v (>= 2)", ""), pkg("p 1", "", "v"), pkg("q 1", "", "v (= 3)"),
			},
			roots: []string{"a"},
			want:  []string{"a=1", "q=1"},
		},
		{
			name:  "cycles end",
			pkgs:  []*Package{pkg("a 1", "b", ""), pkg("b 1", "a", "")},
			roots: []string{"b"},
			want:  []string{"a=1", "b=1"},
		},
		{
			name:    "unsatisfiable version",
			pkgs:    []*Package{pkg("a 1", "b (>= 2)", ""), pkg("b 1", "", "")},
			roots:   []string{"a"},
			wantErr: "package a depends on b (>= 2), which no package in the index satisfies",
		},
		{
			name:    "missing root",
			pkgs:    []*Package{pkg("a 1", "", "")},
			roots:   []string{"nope"},
			wantErr: "package nope is not in the index",
		},
		{
			name:    "malformed relation of a visited package",
			pkgs:    []*Package{pkg("a 1", "b (", "")},
			roots:   []string{"a"},
			wantErr: "package a: invalid relation",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := resolve(newIndex(tt.pkgs), tt.roots)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, versions(got)); diff != "" {
				t.Errorf("resolved (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewIndexKeepsNewestVersion(t *testing.T) {
	t.Parallel()
	release := []*Package{pkg("libc6 2.36-9+deb12u9", "", ""), pkg("tar 1.34", "", "")}
	security := []*Package{pkg("libc6 2.36-9+deb12u14", "", "")}
	older := []*Package{pkg("tar 1.33", "", "")}

	idx := newIndex(release, security, older)
	got := versions([]*Package{idx.packages["libc6"], idx.packages["tar"]})
	want := []string{"libc6=2.36-9+deb12u14", "tar=1.34"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("index (-want +got):\n%s", diff)
	}
}

func TestSplitPlanPrefersMergedUsrMarker(t *testing.T) {
	t.Parallel()
	pkgs := []*Package{
		pkg("init-system-helpers 1 required", "usrmerge | usr-is-merged", ""),
		pkg("usrmerge 1 optional", "perl", ""),
		pkg("perl 1 standard", "", ""),
		pkg("usr-is-merged 1 optional", "", ""),
		pkg("apt 1 important", "gpgv", ""),
		pkg("gpgv 1 important", "", ""),
	}
	required, base, err := splitPlan(newIndex(pkgs), []string{"apt"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"init-system-helpers=1", "usr-is-merged=1"}, versions(required)); diff != "" {
		t.Errorf("required (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"apt=1", "gpgv=1"}, versions(base)); diff != "" {
		t.Errorf("base (-want +got):\n%s", diff)
	}
}
