package bootstrap

import (
	"archive/tar"
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestKeepInImage(t *testing.T) {
	t.Parallel()
	const dir, reg, sym = tar.TypeDir, tar.TypeReg, tar.TypeSymlink
	tests := []struct {
		name string
		typ  byte
		size int64
		want bool
	}{
		{name: "./", typ: dir, want: true},
		{name: "usr/bin/bash", typ: reg, want: true},
		{name: "etc/apt/sources.list", typ: reg, want: true},
		{name: ".dockerenv", typ: reg, want: false},
		{name: "mvm-bootstrap/", typ: dir, want: false},
		{name: "mvm-bootstrap/debs/libc6.deb", typ: reg, want: false},
		{name: "mvm-bootstrapped", typ: reg, want: true},
		{name: "usr/share/doc/", typ: dir, want: true},
		{name: "usr/share/doc/bash/", typ: dir, want: true},
		{name: "usr/share/doc/bash/copyright", typ: reg, want: true},
		{name: "usr/share/doc/bash/changelog.Debian.gz", typ: reg, want: false},
		{name: "usr/share/doc/bash/examples/", typ: dir, want: false},
		{name: "usr/share/doc/bash/examples/copyright", typ: reg, want: false},
		{name: "usr/share/doc/libgcc-s1", typ: sym, want: false},
		{name: "usr/share/man/", typ: dir, want: true},
		{name: "usr/share/man/man1/", typ: dir, want: true},
		{name: "usr/share/man/man1/bash.1.gz", typ: reg, want: false},
		{name: "usr/share/man/man1/sh.1.gz", typ: sym, want: false},
		{name: "usr/share/locale/", typ: dir, want: true},
		{name: "usr/share/locale/de/LC_MESSAGES/", typ: dir, want: false},
		{name: "usr/share/locale/de/LC_MESSAGES/dpkg.mo", typ: reg, want: false},
		{name: "usr/share/info/dir", typ: reg, want: false},
		{name: "usr/share/lintian/overrides/bash", typ: reg, want: false},
		{name: "usr/share/zoneinfo/UTC", typ: reg, want: true},
		{name: "var/lib/apt/lists/", typ: dir, want: true},
		{name: "var/lib/apt/lists/partial/", typ: dir, want: true},
		{name: "var/lib/apt/lists/lock", typ: reg, want: false},
		{name: "var/cache/apt/pkgcache.bin", typ: reg, want: false},
		{name: "var/cache/apt/archives/partial/", typ: dir, want: true},
		{name: "var/log/dpkg.log", typ: reg, want: false},
		{name: "var/log/apt/", typ: dir, want: true},
		{name: "var/lib/dpkg/status", typ: reg, want: true},
		{name: "var/lib/dpkg/status-old", typ: reg, want: false},
		{name: "var/cache/debconf/config.dat-old", typ: reg, want: false},
		{name: "var/cache/ldconfig/aux-cache", typ: reg, want: false},
		{name: "dev/", typ: dir, want: true},
		{name: "dev/console", typ: reg, want: false},
		{name: "proc/", typ: dir, want: true},
		{name: "tmp/", typ: dir, want: true},
		{name: "tmp/leftover", typ: reg, want: false},
		{name: "etc/hostname", typ: reg, size: 0, want: false},
		{name: "etc/hostname", typ: reg, size: 7, want: true},
		{name: "etc/mtab", typ: sym, want: true},
		{name: "../escape", typ: reg, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &tar.Header{Name: tt.name, Typeflag: tt.typ, Size: tt.size}
			if got := keepInImage(h); got != tt.want {
				t.Errorf("keepInImage(%s %c) = %t, want %t", tt.name, tt.typ, got, tt.want)
			}
		})
	}
}

func TestFilterTar(t *testing.T) {
	t.Parallel()
	in := makeTar(t,
		tarEntry{name: "usr/", typ: tar.TypeDir},
		tarEntry{name: "usr/bin/perl", typ: tar.TypeReg, body: "12345"},
		tarEntry{name: "usr/bin/perl5.36.0", typ: tar.TypeLink, link: "usr/bin/perl"},
		tarEntry{name: "usr/share/doc/x/README", typ: tar.TypeReg, body: "docs"},
		tarEntry{name: "usr/share/x/README", typ: tar.TypeLink, link: "usr/share/doc/x/README"},
		tarEntry{name: ".dockerenv", typ: tar.TypeReg},
	)

	var out bytes.Buffer
	size, err := filterTar(bytes.NewReader(in), &out, keepInImage)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"usr/ 5", "usr/bin/perl 0", "usr/bin/perl5.36.0 1 -> usr/bin/perl"}
	if diff := cmp.Diff(want, listTar(t, out.Bytes())); diff != "" {
		t.Errorf("kept (-want +got):\n%s", diff)
	}
	if size != 5 {
		t.Errorf("size = %d, want 5", size)
	}
}
