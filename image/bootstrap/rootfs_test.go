package bootstrap

import (
	"archive/tar"
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadDataTarCompressions(t *testing.T) {
	t.Parallel()
	for _, ext := range []string{"", ".gz", ".xz", ".zst"} {
		t.Run("data.tar"+ext, func(t *testing.T) {
			t.Parallel()
			deb := makeDeb(t, ext, tarEntry{name: "./etc/hello", typ: tar.TypeReg, body: "hi"})
			var names []string
			err := readDataTar(bytes.NewReader(deb), func(tr *tar.Reader) error {
				for {
					h, err := tr.Next()
					if err != nil {
						return nil
					}
					names = append(names, h.Name)
				}
			})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"./etc/hello"}, names); diff != "" {
				t.Errorf("entries (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadDataTarRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		deb     []byte
		wantErr string
	}{
		{name: "no data member", deb: makeAr(arMember{name: "debian-binary", data: []byte("2.0\n")}),
			wantErr: "no data.tar"},
		{name: "format 3", deb: makeAr(arMember{name: "debian-binary", data: []byte("3.0\n")}),
			wantErr: "unsupported .deb format"},
		{name: "lzma", deb: makeAr(arMember{name: "data.tar.lzma", data: []byte("x")}),
			wantErr: "unsupported data.tar compression"},
		{name: "not ar", deb: []byte("PK\x03\x04 zip file"), wantErr: "not an ar archive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := readDataTar(bytes.NewReader(tt.deb), func(*tar.Reader) error { return nil })
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestRootfsWriterMergesUsr(t *testing.T) {
	t.Parallel()
	deb := makeDeb(t, ".xz",
		tarEntry{name: "./", typ: tar.TypeDir},
		tarEntry{name: "./bin/", typ: tar.TypeDir},
		tarEntry{name: "./bin/dash", typ: tar.TypeReg, body: "ELF"},
		tarEntry{name: "./bin/sh.distrib", typ: tar.TypeLink, link: "./bin/dash"},
		tarEntry{name: "./lib64/ld.so", typ: tar.TypeSymlink, link: "/lib/x86_64-linux-gnu/ld.so"},
		tarEntry{name: "./lib", typ: tar.TypeSymlink, link: "usr/lib"},
		tarEntry{name: "./usr/share/doc/dash/copyright", typ: tar.TypeReg, body: "GPL"},
	)

	var out bytes.Buffer
	rw := newRootfsWriter(&out, newUsrMerge("amd64"), time.Unix(1e9, 0))
	if err := rw.layout(); err != nil {
		t.Fatal(err)
	}
	if err := readDataTar(bytes.NewReader(deb), rw.addPackage); err != nil {
		t.Fatal(err)
	}
	if err := rw.Close(); err != nil {
		t.Fatal(err)
	}

	want := []string{
		"usr/ 5", "usr/bin/ 5", "bin 2 -> usr/bin", "usr/sbin/ 5", "sbin 2 -> usr/sbin",
		"usr/lib/ 5", "lib 2 -> usr/lib", "usr/lib64/ 5", "lib64 2 -> usr/lib64",
		"usr/bin/dash 0",
		"usr/bin/sh.distrib 1 -> usr/bin/dash",
		"usr/lib64/ld.so 2 -> /lib/x86_64-linux-gnu/ld.so",
		"usr/share/ 5", "usr/share/doc/ 5", "usr/share/doc/dash/ 5", "usr/share/doc/dash/copyright 0",
	}
	if diff := cmp.Diff(want, listTar(t, out.Bytes())); diff != "" {
		t.Errorf("tar (-want +got):\n%s", diff)
	}
}

func TestRootfsWriterRejectsEscapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		entry tarEntry
	}{
		{name: "path", entry: tarEntry{name: "./../etc/passwd", typ: tar.TypeReg, body: "x"}},
		{name: "hard link", entry: tarEntry{name: "./etc/x", typ: tar.TypeLink, link: "../../etc/shadow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			deb := makeDeb(t, ".gz", tt.entry)
			rw := newRootfsWriter(&bytes.Buffer{}, newUsrMerge("amd64"), time.Unix(1e9, 0))
			err := readDataTar(bytes.NewReader(deb), rw.addPackage)
			if err == nil || !strings.Contains(err.Error(), "outside the root") && !strings.Contains(err.Error(), "escapes the root") {
				t.Errorf("err = %v, want an escape to be refused", err)
			}
		})
	}
}
