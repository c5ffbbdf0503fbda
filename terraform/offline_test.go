package terraform_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/tfmirror"
)

// TestModuleOffline checks the module as far as the served 2022 google
// provider allows: with the edits of tfmirror.GKEModuleEdits, it validates
// and its terraform tests pass against a mocked provider.
func TestModuleOffline(t *testing.T) {
	testenv.Require(t, testenv.Terraform)
	config := tfmirror.Require(t)

	dir := tfmirror.GKEModule(t, tfmirror.GKEModuleEdits)
	copyTests(t, dir)
	tf := newTerraform(t, dir, config)
	ctx := t.Context()

	if err := tf.Init(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := tf.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Valid || out.WarningCount > 0 {
		t.Fatalf("validate: valid=%v, diagnostics %+v", out.Valid, out.Diagnostics)
	}

	var log strings.Builder
	if err := tf.Test(ctx, &log); err != nil {
		t.Fatalf("terraform test: %v\n%s", err, log.String())
	}
	runs, passed := testResults(t, log.String())
	if runs == 0 || passed != runs {
		t.Errorf("terraform test passed %d of %d runs:\n%s", passed, runs, log.String())
	}
}

// testResults reads terraform test's JSON lines: how many run blocks it
// found, and how many passed.
func testResults(t *testing.T, log string) (runs, passed int) {
	t.Helper()

	for _, line := range strings.Split(strings.TrimSpace(log), "\n") {
		var msg struct {
			Type     string              `json:"type"`
			Abstract map[string][]string `json:"test_abstract"`
			Summary  struct {
				Passed int `json:"passed"`
			} `json:"test_summary"`
		}
		if err := json.Unmarshal([]byte(line), &msg); err != nil {
			t.Fatalf("terraform test printed %q: %v", line, err)
		}
		switch msg.Type {
		case "test_abstract":
			for _, names := range msg.Abstract {
				runs += len(names)
			}
		case "test_summary":
			passed = msg.Summary.Passed
		}
	}
	return runs, passed
}

// TestModuleOfflineEditsAreNeeded proves that each edit is needed: without
// it, init or validate fails. With TestModuleOffline this makes the list of
// edits exactly what cannot be checked offline.
func TestModuleOfflineEditsAreNeeded(t *testing.T) {
	testenv.Require(t, testenv.Terraform)
	config := tfmirror.Require(t)

	for i, skipped := range tfmirror.GKEModuleEdits {
		t.Run(skipped.String(), func(t *testing.T) {
			t.Parallel()
			edits := append(tfmirror.GKEModuleEdits[:i:i], tfmirror.GKEModuleEdits[i+1:]...)
			dir := tfmirror.GKEModule(t, edits)
			if reason := rejection(t.Context(), newTerraform(t, dir, config)); reason == "" {
				t.Errorf("module accepted without the edit; remove it from GKEModuleEdits (%s)", skipped.Why)
			} else {
				t.Logf("without the edit: %s", reason)
			}
		})
	}
}

// rejection returns why init or validate refuses the module, or "".
func rejection(ctx context.Context, tf *tfexec.Terraform) string {
	if err := tf.Init(ctx); err != nil {
		return "init: " + firstLines(err.Error())
	}
	out, err := tf.Validate(ctx)
	if err != nil {
		return "validate: " + firstLines(err.Error())
	}
	if out.Valid {
		return ""
	}
	var reasons []string
	for _, d := range out.Diagnostics {
		reasons = append(reasons, d.Summary+": "+d.Detail)
	}
	return "validate: " + strings.Join(reasons, "; ")
}

func firstLines(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[:min(len(lines), 6)], " ")
}

// newTerraform runs terraform in dir with providers from the mirror only and
// every network path pointed at loopback.
func newTerraform(t *testing.T, dir, config string) *tfexec.Terraform {
	t.Helper()

	path, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatal(err)
	}
	tf, err := tfexec.NewTerraform(dir, path)
	if err != nil {
		t.Fatal(err)
	}
	err = tf.SetEnv(map[string]string{
		"PATH":                      os.Getenv("PATH"),
		"HOME":                      t.TempDir(),
		"TF_CLI_CONFIG_FILE":        config,
		"CHECKPOINT_DISABLE":        "1",
		"GOOGLE_OAUTH_ACCESS_TOKEN": "fake",
		"HTTPS_PROXY":               "http://127.0.0.1:1",
		"HTTP_PROXY":                "http://127.0.0.1:1",
	})
	if err != nil {
		t.Fatal(err)
	}
	return tf
}

// copyTests copies the module's terraform tests next to the copy of the
// module, where terraform test looks for them.
func copyTests(t *testing.T, dir string) {
	t.Helper()

	files, err := filepath.Glob(filepath.Join("tests", "*.tftest.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no terraform tests in tests/ (%v)", err)
	}
	if err := os.Mkdir(filepath.Join(dir, "tests"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
