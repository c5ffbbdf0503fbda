package bootstrap

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseRelations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    [][]relation
		wantErr string
	}{
		{name: "empty", in: "", want: nil},
		{
			name: "versions and alternatives",
			in:   "libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, tar",
			want: [][]relation{
				{{Name: "libc6", Op: ">=", Version: "2.34"}},
				{{Name: "debconf", Op: ">=", Version: "0.5"}, {Name: "debconf-2.0"}},
				{{Name: "tar"}},
			},
		},
		{
			name: "qualifiers, no space before the version, obsolete operators",
			in:   "perl:any, python3:native (>=3.11), foo (<1), bar (> 2)",
			want: [][]relation{
				{{Name: "perl"}},
				{{Name: "python3", Op: ">=", Version: "3.11"}},
				{{Name: "foo", Op: "<=", Version: "1"}},
				{{Name: "bar", Op: ">=", Version: "2"}},
			},
		},
		{
			name: "architecture lists and profiles are skipped",
			in:   "libfoo [amd64 arm64] <!nocheck>, baz (= 1:2.0-1) [linux-any]",
			want: [][]relation{
				{{Name: "libfoo"}},
				{{Name: "baz", Op: "=", Version: "1:2.0-1"}},
			},
		},
		{name: "multi-line field", in: "a,\nb", want: [][]relation{{{Name: "a"}}, {{Name: "b"}}}},
		{name: "unclosed", in: "a (>= 1", wantErr: "unclosed"},
		{name: "no operator", in: "a (1.0)", wantErr: "no operator"},
		{name: "bad name", in: "A$", wantErr: "invalid relation"},
		{name: "empty alternative", in: "a | ", wantErr: "invalid relation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseRelations(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("relations (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRelationSatisfiedBy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		op, want, have string
		ok             bool
	}{
		{"", "", "anything", true},
		{">=", "2.34", "2.36-9", true},
		{">=", "2.37", "2.36-9", false},
		{"<<", "1.7~b", "1.6", true},
		{"<<", "1.7~b", "1.7", false},
		{"=", "1.5.2-6+deb12u3", "1.5.2-6+deb12u3", true},
		{"=", "1.5.2-6+deb12u3", "1.5.2-6+deb12u2", false},
		{">>", "1", "1", false},
		{"<=", "1", "1", true},
	}
	for _, tt := range tests {
		t.Run(tt.op+tt.want+"/"+tt.have, func(t *testing.T) {
			t.Parallel()
			r := relation{Name: "x", Op: tt.op, Version: tt.want}
			if got := r.satisfiedBy(tt.have); got != tt.ok {
				t.Errorf("%s satisfied by %s = %t, want %t", r, tt.have, got, tt.ok)
			}
		})
	}
}
