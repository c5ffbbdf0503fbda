package bootstrap

import (
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestControlReader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      string
		want    []paragraph
		wantErr string
	}{
		{
			name: "two paragraphs",
			in:   "Package: a\nVersion: 1\n\nPackage: b\nVersion: 2\n",
			want: []paragraph{
				{{"Package", "a"}, {"Version", "1"}},
				{{"Package", "b"}, {"Version", "2"}},
			},
		},
		{
			name: "multi-line value and extra blank lines",
			in:   "\n\nSHA256:\n abc 1 x\n def 2 y\nDate: today\n\n\n",
			want: []paragraph{{{"SHA256", "\nabc 1 x\ndef 2 y"}, {"Date", "today"}}},
		},
		{
			name: "comments and whitespace-only separator",
			in:   "# comment\nA: 1\n \t \nB:2\n",
			want: []paragraph{{{"A", "1"}}, {{"B", "2"}}},
		},
		{name: "continuation first", in: " x\nA: 1\n", wantErr: "line 1: continuation"},
		{name: "no colon", in: "A: 1\nnonsense\n", wantErr: "line 2: expected a field"},
		{name: "space in name", in: "A B: 1\n", wantErr: "line 1: expected a field"},
		{name: "empty", in: "", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readAllParagraphs(strings.NewReader(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(field{})); diff != "" {
				t.Errorf("paragraphs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParagraphGetIsCaseInsensitive(t *testing.T) {
	t.Parallel()
	p := paragraph{{"Pre-Depends", "libc6"}}
	if got := p.get("pre-depends"); got != "libc6" {
		t.Errorf("get = %q, want libc6", got)
	}
	if got := p.get("Depends"); got != "" {
		t.Errorf("get of a missing field = %q, want empty", got)
	}
}

func readAllParagraphs(r io.Reader) ([]paragraph, error) {
	cr := newControlReader(r)
	var out []paragraph
	for {
		p, err := cr.next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
}

const samplePackages = `Package: dpkg
Version: 1.21.23
Essential: yes
Architecture: amd64
Depends: tar (>= 1.28-1)
Pre-Depends: libbz2-1.0, libc6 (>= 2.34)
Description: Debian package management system
 A long description
 .
 with several lines.
Priority: required
Filename: pool/main/d/dpkg/dpkg_1.21.23_amd64.deb
Size: 1567804
SHA256: F89E9F8D1A4A50ADE44BE3ED59A6EC55460FCE205D2F8520C5C492137C5B609B

Package: mawk
Version: 1.3.4.20200120-3.1
Architecture: amd64
Provides: awk
Priority: required
Filename: pool/main/m/mawk/mawk_1.3.4.20200120-3.1_amd64.deb
Size: 133236
SHA256: 5b7e6d3a8e4e0d6c8d1b8d1e7b1a9c0b8f4b7a3e9c7d6e5f4a3b2c1d0e9f8a7b
`

func TestReadPackages(t *testing.T) {
	t.Parallel()
	got, err := readPackages(strings.NewReader(samplePackages), "http://mirror/debian")
	if err != nil {
		t.Fatal(err)
	}
	want := []*Package{
		{
			Name: "dpkg", Version: "1.21.23", Architecture: "amd64", Priority: "required", Essential: true,
			PreDepends: "libbz2-1.0, libc6 (>= 2.34)", Depends: "tar (>= 1.28-1)",
			Mirror: "http://mirror/debian", Filename: "pool/main/d/dpkg/dpkg_1.21.23_amd64.deb", Size: 1567804,
			SHA256: "f89e9f8d1a4a50ade44be3ed59a6ec55460fce205d2f8520c5c492137c5b609b",
		},
		{
			Name: "mawk", Version: "1.3.4.20200120-3.1", Architecture: "amd64", Priority: "required",
			Provides: "awk", Mirror: "http://mirror/debian",
			Filename: "pool/main/m/mawk/mawk_1.3.4.20200120-3.1_amd64.deb", Size: 133236,
			SHA256: "5b7e6d3a8e4e0d6c8d1b8d1e7b1a9c0b8f4b7a3e9c7d6e5f4a3b2c1d0e9f8a7b",
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
}

func TestReadPackagesRejects(t *testing.T) {
	t.Parallel()
	valid := "Package: ok\nVersion: 1\nFilename: f\nSize: 1\nSHA256: " + strings.Repeat("a", 64) + "\n"
	tests := []struct {
		name    string
		in      string
		wantErr string
	}{
		{name: "no filename", in: "Package: a1\nVersion: 1\n", wantErr: "lacks"},
		{name: "bad name", in: strings.Replace(valid, "ok", "Bad;rm", 1), wantErr: "invalid package name"},
		{name: "short checksum", in: strings.Replace(valid, strings.Repeat("a", 64), "abc", 1), wantErr: "no valid SHA256"},
		{name: "negative size", in: strings.Replace(valid, "Size: 1", "Size: -1", 1), wantErr: "invalid Size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readPackages(strings.NewReader(tt.in), "m")
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}
