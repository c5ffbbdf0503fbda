package bootstrap

import (
	"archive/tar"
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// The fuzz targets cover the parsers of what a mirror serves: Packages
// indexes, Release files and their signatures, relation fields, versions,
// and .deb archives. Run one with, for example,
// go test -run '^$' -fuzz FuzzReadPackages -fuzztime 1m ./image/bootstrap

func FuzzReadPackages(f *testing.F) {
	f.Add(samplePackages)
	f.Add("Package: a\nVersion: 1\nFilename: f\nSize: 1\nSHA256: " + strings.Repeat("0", 64) + "\nDescription: x\n .\n y\n")
	f.Add("Package: a\n\n\n#c\n \n")
	f.Fuzz(func(t *testing.T, data string) {
		pkgs, err := readPackages(strings.NewReader(data), "m")
		if err != nil {
			return
		}
		for _, p := range pkgs {
			if !validPackageName(p.Name) || !validSHA256(p.SHA256) || p.Size < 0 {
				t.Fatalf("accepted an invalid package %+v", p)
			}
		}
		// Whatever parses must also resolve or fail cleanly.
		idx := newIndex(pkgs)
		_, _ = resolve(idx, idx.names())
	})
}

func FuzzParseRelease(f *testing.F) {
	real, err := os.ReadFile("testdata/bookworm-InRelease")
	if err != nil {
		f.Fatal(err)
	}
	keyring, err := debianKeyring()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real[:4096])
	f.Add([]byte("Suite: x\nCodename: y\nDate: Sat, 11 Jul 2026 10:16:37 UTC\nValid-Until: Sat, 18 Jul 2026 10:16:37 +0000\n" +
		"SHA256:\n " + strings.Repeat("a", 64) + " 12 main/binary-amd64/Packages.xz\n"))
	f.Add([]byte("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nSuite: x\n-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rel, err := parseRelease(bytes.NewReader(data))
		if err == nil {
			_ = rel.check("bookworm", time.Now())
			for _, ref := range rel.Files {
				if !validSHA256(ref.SHA256) || ref.Size < 0 {
					t.Fatalf("accepted an invalid checksum %+v", ref)
				}
			}
		}
		if _, _, err := verifyInRelease(data, keyring); err == nil {
			t.Fatal("a fuzzed InRelease verified against Debian's keys")
		}
	})
}

func FuzzParseRelations(f *testing.F) {
	f.Add("libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, perl:any")
	f.Add("a [amd64] <!nocheck> (= 1) | b (<< 2~)")
	f.Add("x (>= 1")
	f.Fuzz(func(t *testing.T, s string) {
		groups, err := parseRelations(s)
		if err != nil {
			return
		}
		for _, g := range groups {
			for _, r := range g {
				if !validPackageName(r.Name) {
					t.Fatalf("accepted an invalid name %q", r.Name)
				}
				_ = r.satisfiedBy("1.0")
			}
		}
	})
}

func FuzzCompareVersions(f *testing.F) {
	f.Add("1:2.36-9+deb12u14", "2.36-9")
	f.Add("1.0~rc1", "1.0")
	f.Add("", "0")
	f.Fuzz(func(t *testing.T, a, b string) {
		ab, ba := compareVersions(a, b), compareVersions(b, a)
		if ab != -ba {
			t.Fatalf("compare(%q, %q) = %d but compare(%q, %q) = %d", a, b, ab, b, a, ba)
		}
		if compareVersions(a, a) != 0 {
			t.Fatalf("compare(%q, itself) != 0", a)
		}
	})
}

func FuzzReadDeb(f *testing.F) {
	f.Add(makeDeb(f, ".xz",
		tarEntry{name: "./bin/", typ: tar.TypeDir},
		tarEntry{name: "./bin/sh", typ: tar.TypeSymlink, link: "dash"},
		tarEntry{name: "./usr/bin/x", typ: tar.TypeReg, body: "hello"},
		tarEntry{name: "./usr/bin/y", typ: tar.TypeLink, link: "./usr/bin/x"},
	))
	f.Add(makeDeb(f, ".gz", tarEntry{name: "./etc/a", typ: tar.TypeReg, body: "a"}))
	f.Add(makeDeb(f, ".zst", tarEntry{name: "./etc/a", typ: tar.TypeReg, body: "a"}))
	f.Add(makeAr(arMember{name: "a", data: []byte("odd")}, arMember{name: "data.tar", data: nil}))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = readAllMembers(data)

		var out bytes.Buffer
		rw := newRootfsWriter(&out, newUsrMerge("amd64"), time.Unix(1e9, 0))
		if err := readDataTar(io.LimitReader(bytes.NewReader(data), 1<<20), rw.addPackage); err != nil {
			return
		}
		if err := rw.Close(); err != nil {
			t.Fatalf("close a tar that was written without error: %v", err)
		}
		tr := tar.NewReader(&out)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatalf("read back the written tar: %v", err)
			}
			if _, ok := cleanPath(h.Name); !ok || strings.HasPrefix(h.Name, "/") {
				t.Fatalf("wrote an entry outside the root: %q", h.Name)
			}
		}
	})
}
