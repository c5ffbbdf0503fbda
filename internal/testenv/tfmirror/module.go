package tfmirror

import (
	"testing"

	"github.com/mvm-dev/mvm/terraform"
)

// GKEModule unpacks mvm's GKE module into a new directory with edits made,
// usually [GKEModuleEdits], and returns the directory.
func GKEModule(t testing.TB, edits []Edit) string {
	t.Helper()

	dir := t.TempDir()
	if err := terraform.Unpack(dir); err != nil {
		t.Fatal(err)
	}
	if err := Apply(dir, edits); err != nil {
		t.Fatal(err)
	}
	return dir
}
