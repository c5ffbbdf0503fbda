package terraform_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mvm-dev/mvm/terraform"
)

func TestUnpackWritesEveryFile(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "module")

	// Twice: the second Unpack runs over a complete directory.
	for range 2 {
		if err := terraform.Unpack(dir); err != nil {
			t.Fatal(err)
		}
	}

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if diff := cmp.Diff(terraform.Files(), got); diff != "" {
		t.Errorf("unpacked files (-want +got):\n%s", diff)
	}
	for _, name := range got {
		want, _ := os.ReadFile(name) // the package directory holds the sources
		have, _ := os.ReadFile(filepath.Join(dir, name))
		if string(want) != string(have) {
			t.Errorf("%s: unpacked content differs from the source", name)
		}
	}
}

func TestFilesAreTheModuleOnly(t *testing.T) {
	t.Parallel()

	for _, name := range terraform.Files() {
		if !strings.HasSuffix(name, ".tf") {
			t.Errorf("embedded %s, want only .tf files (tests stay out of the binary)", name)
		}
	}
	if len(terraform.Files()) == 0 {
		t.Fatal("no embedded files")
	}
}

func TestHashIsStable(t *testing.T) {
	t.Parallel()

	h := terraform.Hash()
	if len(h) != 16 || strings.Trim(h, "0123456789abcdef") != "" {
		t.Errorf("Hash() = %q, want 16 lowercase hex digits", h)
	}
	if terraform.Hash() != h {
		t.Error("Hash() differs between calls")
	}
}
