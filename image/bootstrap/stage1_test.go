package bootstrap

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWriteStage1(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	debs := map[string]string{}
	write := func(name string, deb []byte) {
		debs[name] = filepath.Join(dir, name+".deb")
		if err := os.WriteFile(debs[name], deb, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("dash", makeDeb(t, ".xz", tarEntry{name: "./bin/dash", typ: tar.TypeReg, body: "ELF"}))
	write("dpkg", makeDeb(t, ".xz", tarEntry{name: "./usr/bin/dpkg", typ: tar.TypeReg, body: "ELF"}))
	write("apt", makeDeb(t, ".xz", tarEntry{name: "./usr/bin/apt", typ: tar.TypeReg, body: "ELF"}))

	dpkg := pkg("dpkg 1.21", "", "")
	dpkg.Architecture = "amd64"
	p := &plan{
		Arch:     "arm64",
		Date:     time.Unix(1e9, 0),
		Required: []*Package{pkg("dash 0.5", "", ""), dpkg},
		Base:     []*Package{pkg("apt 2.6", "", "")},
	}
	files := []imageFile{{Path: "etc/apt/sources.list", Mode: 0o644, Data: "deb x y main\n"}}

	var out bytes.Buffer
	if err := writeStage1(context.Background(), &out, p, files, debs); err != nil {
		t.Fatal(err)
	}

	want := []string{
		"usr/ 5", "usr/bin/ 5", "bin 2 -> usr/bin", "usr/sbin/ 5", "sbin 2 -> usr/sbin",
		"usr/lib/ 5", "lib 2 -> usr/lib",
		"usr/bin/dash 0", "usr/bin/dpkg 0", "usr/bin/sh 2 -> dash",
		"var/ 5", "var/lib/ 5", "var/lib/dpkg/ 5", "var/lib/dpkg/info/ 5", "var/lib/dpkg/updates/ 5",
		"var/lib/dpkg/triggers/ 5", "var/lib/dpkg/alternatives/ 5", "var/lib/dpkg/parts/ 5",
		"var/lib/dpkg/status 0", "var/lib/dpkg/available 0", "var/lib/dpkg/info/dpkg.list 0",
		"etc/ 5", "etc/apt/ 5", "etc/apt/sources.list 0",
		"mvm-bootstrap/ 5", "mvm-bootstrap/debs/ 5",
		"mvm-bootstrap/debs/dash.deb 0", "mvm-bootstrap/debs/dpkg.deb 0", "mvm-bootstrap/debs/apt.deb 0",
		"mvm-bootstrap/stage2.sh 0",
	}
	if diff := cmp.Diff(want, listTar(t, out.Bytes())); diff != "" {
		t.Errorf("first stage (-want +got):\n%s", diff)
	}

	status := readTarFile(t, out.Bytes(), "var/lib/dpkg/status")
	for _, line := range []string{"Package: dpkg", "Version: 1.21", "Architecture: amd64", "Status: install ok installed"} {
		if !strings.Contains(status, line+"\n") {
			t.Errorf("status lacks %q:\n%s", line, status)
		}
	}
}

func readTarFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if err != nil {
			t.Fatalf("%s not in the tar: %v", name, err)
		}
		if h.Name == name {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}
