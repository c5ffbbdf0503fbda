// Package testenv gates and prepares the tests that run against real engines:
// the Docker Engine, a Kind cluster, the terraform binary. Its shell scripts
// build the heavy fixtures those tests need (a Kind node image, a Terraform
// provider mirror) and cache them on the machine.
//
// Engines are enabled with MVM_E2E, a comma-separated list such as
// "docker,kind,terraform", or "all". A test whose engine is not enabled skips
// and says how to enable it; in CI (CI=true) it fails instead, so that a CI
// run can never pass by skipping what it was meant to check.
package testenv

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Engine names accepted in MVM_E2E.
const (
	Docker    = "docker"
	Kind      = "kind"
	Terraform = "terraform"
	Chromium  = "chromium"
)

// Enabled reports whether MVM_E2E enables the engine.
func Enabled(engine string) bool {
	for _, e := range strings.Split(os.Getenv("MVM_E2E"), ",") {
		e = strings.TrimSpace(e)
		if e == engine || e == "all" {
			return true
		}
	}
	return false
}

// Require skips t unless MVM_E2E enables engine. Under CI=true a disabled
// engine fails the test: CI must not go green by skipping.
func Require(t testing.TB, engine string) {
	t.Helper()

	if Enabled(engine) {
		return
	}
	msg := "end-to-end test needs the " + engine + " engine: set MVM_E2E=" + engine +
		" (or MVM_E2E=all), or run internal/testenv/test.sh, which prepares every engine"
	if os.Getenv("CI") == "true" {
		t.Fatal("CI=true but " + msg)
	}
	t.Skip("SKIPPED: " + msg)
}

// CacheDir is where the test fixtures are cached across runs:
// MVM_CI_CACHE, else /var/cache/mvm-ci.
func CacheDir() string {
	if d := os.Getenv("MVM_CI_CACHE"); d != "" {
		return d
	}
	return "/var/cache/mvm-ci"
}

// Path returns the absolute path of a file under internal/testenv, for tests
// that run the scripts kept here.
func Path(elem ...string) string {
	_, err := os.Stat("internal/testenv")
	dir := "."
	for i := 0; err != nil && i < 6; i++ {
		dir = filepath.Join(dir, "..")
		_, err = os.Stat(filepath.Join(dir, "internal/testenv"))
	}
	abs, _ := filepath.Abs(filepath.Join(append([]string{dir, "internal/testenv"}, elem...)...))
	return abs
}
