// Package tfmirror locates the Terraform provider mirror that build.sh makes
// for tests, and adapts mvm's GKE module to the only hashicorp/google
// provider the mirror can hold, so that the module can be checked offline.
//
// The Go module proxy serves hashicorp/google only as a development build
// from February 2022, between 4.8.0 and 4.9.0; the module is written for
// 6.x. [GKEModuleEdits] lists every change the old schema forces, and the
// module's tests prove that each one is needed and that together they are
// enough, so that what cannot be checked offline is written down exactly.
package tfmirror

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mvm-dev/mvm/internal/testenv"
)

// GoogleVersion is the version the mirror gives its hashicorp/google build.
// It is a pre-release so that it can never be taken for a real release;
// build.sh uses the same string.
const GoogleVersion = "4.9.0-dev.20220201"

// Dir is the mirror: ${MVM_CI_CACHE:-/var/cache/mvm-ci}/tf-mirror.
func Dir() string {
	return filepath.Join(testenv.CacheDir(), "tf-mirror")
}

// ConfigFile is the Terraform CLI configuration that installs providers
// from the mirror only.
func ConfigFile() string {
	return filepath.Join(Dir(), "terraformrc")
}

// Require returns [ConfigFile], or fails t when the mirror has not been
// built. It never skips: a test that needs the mirror and runs without it
// must not pass.
func Require(t testing.TB) string {
	t.Helper()

	google := filepath.Join(Dir(), "registry.terraform.io", "hashicorp", "google", GoogleVersion,
		"linux_amd64", "terraform-provider-google_v"+GoogleVersion)
	for _, path := range []string{ConfigFile(), google} {
		if _, err := os.Stat(path); err != nil {
			t.Fatalf("terraform provider mirror incomplete (%v): run %s first; the test script runs it",
				err, testenv.Path("tfmirror", "build.sh"))
		}
	}
	return ConfigFile()
}
