package gke_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mvm-dev/mvm/cloud/gke"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/tfmirror"
	"github.com/mvm-dev/mvm/manifests"
)

// env is one end-to-end test's machine: its own cache and state directories
// and an environment in which nothing can leave the machine.
type env struct {
	opts gke.Options
}

func newEnv(t *testing.T, extra ...string) env {
	t.Helper()
	testenv.Require(t, testenv.Terraform)

	environ := append([]string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + t.TempDir(),
		"GOOGLE_OAUTH_ACCESS_TOKEN=fake",
		"HTTPS_PROXY=http://127.0.0.1:1",
		"HTTP_PROXY=http://127.0.0.1:1",
		"TF_CLI_CONFIG_FILE=/nonexistent/terraformrc",
	}, extra...)
	return env{opts: gke.Options{
		Logger:   log.New(testWriter{t}, log.Options{Verbosity: 2}),
		CacheDir: t.TempDir(),
		StateDir: t.TempDir(),
		Environ:  environ,
	}}
}

func (e env) prepare(t *testing.T, target gke.Target) *gke.Infra {
	t.Helper()

	in, err := gke.Prepare(t.Context(), target, e.opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := in.Init(t.Context()); err != nil {
		t.Fatal(err)
	}
	return in
}

// standIn is a target with the stand-in module, which passes these values
// through to the outputs.
func standIn(name string, hook string) gke.Target {
	return gke.Target{
		Project:   "mvm-e2e-test",
		Region:    "europe-west1",
		Name:      name,
		ModuleDir: testenv.Path("standin", "module"),
		Vars: map[string]any{
			"cluster_endpoint":       "https://127.0.0.1:6443",
			"cluster_ca_certificate": "Q0E=",
			"repository_url":         "127.0.0.1:5000/mvm",
			"create_hook":            hook,
		},
	}
}

func TestStandInLifecycle(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	ctx := t.Context()
	envFile := filepath.Join(t.TempDir(), "env")
	target := standIn("lifecycle", "env > "+envFile)
	target.Domain = "desktop.example.com"
	in := e.prepare(t, target)

	checkPlan(t, in.Plan, "+3 ~0 -0\n    + terraform_data.cluster\n    + terraform_data.ingress[0]\n"+
		"    + terraform_data.repository")
	if err := in.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	checkOutputs(t, in, "127.0.0.1")
	checkTerraformEnv(t, envFile)
	checkStateIn(t, in.Dir(), e.opts.StateDir)

	// A second run changes nothing.
	in = e.prepare(t, target)
	checkPlan(t, in.Plan, "+0 ~0 -0 (no changes)")

	checkPlan(t, in.PlanDestroy, "+0 ~0 -3\n    - terraform_data.cluster\n    - terraform_data.ingress[0]\n"+
		"    - terraform_data.repository")
	if err := in.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := in.Outputs(ctx); err == nil {
		t.Error("Outputs() after destroying: no error")
	}
	// Destroying what is gone succeeds.
	if err := in.Destroy(ctx); err != nil {
		t.Error(err)
	}
}

func TestStandInInterruptedApply(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	ctx := t.Context()
	started := filepath.Join(t.TempDir(), "started")
	in := e.prepare(t, standIn("interrupted", "touch "+started+" && exec sleep 600"))
	checkPlan(t, in.Plan, "+2 ~0 -0\n    + terraform_data.cluster\n    + terraform_data.repository")

	// Interrupt the apply while the cluster is being created.
	applyCtx, interrupt := context.WithCancel(ctx)
	applied := make(chan error, 1)
	go func() { applied <- in.Apply(applyCtx) }()
	waitForFile(t, started)
	interrupt()
	err := <-applied

	var stepErr *gke.StepError
	if !errors.As(err, &stepErr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Apply() = %v, want an interrupted StepError", err)
	}
	// terraform handled the interrupt itself: it was not killed.
	if !strings.Contains(stepErr.Output, "Gracefully shutting down") {
		t.Errorf("terraform did not shut down gracefully; its output ends:\n%s", stepErr.Output)
	}
	checkState(t, in.Dir(), map[string]string{"terraform_data.repository": "", "terraform_data.cluster": "tainted"})

	rerun(t, e, in, standIn("interrupted", ""))
}

func TestStandInFailedApply(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	in := e.prepare(t, standIn("failed", "echo quota exceeded >&2; exit 3"))
	checkPlan(t, in.Plan, "+2 ~0 -0\n    + terraform_data.cluster\n    + terraform_data.repository")

	err := in.Apply(t.Context())
	if err == nil || errors.Is(err, context.Canceled) {
		t.Fatalf("Apply() = %v, want a failure", err)
	}
	msg := err.Error()
	first, rest, _ := strings.Cut(msg, "\n")
	if want := "terraform apply in " + in.Dir() + ": exit status 1"; first != want {
		t.Errorf("first line of the error = %q, want %q", first, want)
	}
	for _, want := range []string{"Error: local-exec provisioner error", "quota exceeded"} {
		if !strings.Contains(rest, want) {
			t.Errorf("error lacks terraform's diagnostic %q:\n%s", want, msg)
		}
	}
	checkState(t, in.Dir(), map[string]string{"terraform_data.repository": "", "terraform_data.cluster": "tainted"})

	rerun(t, e, in, standIn("failed", ""))
}

// rerun checks that a new run after a failed or interrupted one continues
// where it stopped: it replaces the tainted cluster and nothing else.
func rerun(t *testing.T, e env, before *gke.Infra, target gke.Target) {
	t.Helper()

	in := e.prepare(t, target)
	if in.Dir() != before.Dir() {
		t.Fatalf("rerun works in %s, the first run in %s", in.Dir(), before.Dir())
	}
	checkPlan(t, in.Plan, "+1 ~0 -1\n  -/+ terraform_data.cluster (tainted)")
	if err := in.Apply(t.Context()); err != nil {
		t.Fatal(err)
	}
	checkOutputs(t, in, "")
	checkPlan(t, in.Plan, "+0 ~0 -0 (no changes)")
}

func TestGKEModuleOffline(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	e.opts.Environ = append(e.opts.Environ, gke.CLIConfigEnv+"="+tfmirror.Require(t))
	module := tfmirror.GKEModule(t, tfmirror.GKEModuleEdits)
	services := `    + google_project_service.service["artifactregistry.googleapis.com"]` + "\n" +
		`    + google_project_service.service["compute.googleapis.com"]` + "\n" +
		`    + google_project_service.service["container.googleapis.com"]`
	iam := "    + google_project_iam_member.nodes\n"
	account := "\n    + google_service_account.nodes"

	tests := []struct {
		name   string
		domain string
		want   string
	}{
		{name: "private", want: "+6 ~0 -0\n    + google_container_cluster.desktop\n" + iam + services + account},
		{
			name:   "domain",
			domain: "desktop.example.com",
			want: "+7 ~0 -0\n    + google_compute_global_address.ingress[0]\n" +
				"    + google_container_cluster.desktop\n" + iam + services + account,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := gke.Target{Project: "mvm-e2e-test", Region: "europe-west1", Name: tt.name,
				Domain: tt.domain, ModuleDir: module}
			in := e.prepare(t, target)
			if err := in.Validate(t.Context()); err != nil {
				t.Fatal(err)
			}
			checkPlan(t, in.Plan, tt.want)
			checkPlan(t, in.PlanDestroy, "+0 ~0 -0 (no changes)")
		})
	}
}

// TestEmbeddedModuleNeedsCurrentProvider runs the embedded module as mvm
// ships it: its init must fail on the mirror's 2022 provider, with
// terraform's own reason.
func TestEmbeddedModuleNeedsCurrentProvider(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	e.opts.Environ = append(e.opts.Environ, gke.CLIConfigEnv+"="+tfmirror.Require(t))

	in, err := gke.Prepare(t.Context(), gke.Target{Project: "mvm-e2e-test", Region: "europe-west1"}, e.opts)
	if err != nil {
		t.Fatal(err)
	}
	err = in.Init(t.Context())
	var stepErr *gke.StepError
	if !errors.As(err, &stepErr) || stepErr.Command != "init" {
		t.Fatalf("Init() = %v, want a StepError of init", err)
	}
	if want := "no available releases match the given constraints ~> 6.0"; !strings.Contains(err.Error(), want) {
		t.Errorf("Init() error lacks %q:\n%v", want, err)
	}
}

func TestStateBucketBackend(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	target := standIn("remote", "")
	target.StateBucket = "mvm-e2e-test-state"

	in, err := gke.Prepare(t.Context(), target, e.opts)
	if err != nil {
		t.Fatal(err)
	}
	// The bucket is out of reach (the proxy is loopback) and the gcs backend
	// retries for minutes: init is interrupted, then killed after its grace
	// period, having tried gcs and never the local backend.
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
	defer cancel()
	err = in.Init(ctx)
	var stepErr *gke.StepError
	if !errors.As(err, &stepErr) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Init() = %v, want an interrupted init", err)
	}
	if strings.Contains(stepErr.Output, `backend "local"`) {
		t.Errorf("init configured the local backend with a state bucket:\n%s", stepErr.Output)
	}
	backend, err := os.ReadFile(filepath.Join(in.Dir(), "mvm_backend_override.tf.json"))
	if err != nil || !strings.Contains(string(backend), `"bucket": "mvm-e2e-test-state"`) {
		t.Errorf("backend override = %s (%v), want the gcs bucket", backend, err)
	}
	if _, serr := os.Stat(filepath.Join(in.Dir(), "terraform.tfstate")); serr == nil {
		t.Error("a local state file exists with a state bucket")
	}
}

func checkPlan(t *testing.T, plan func(context.Context) (*gke.Summary, error), want string) {
	t.Helper()

	s, err := plan(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, s.String()); diff != "" {
		t.Errorf("plan summary (-want +got):\n%s", diff)
	}
}

func checkOutputs(t *testing.T, in *gke.Infra, ingressIP string) {
	t.Helper()

	got, err := in.Outputs(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	want := &gke.Outputs{
		ClusterEndpoint:      "https://127.0.0.1:6443",
		ClusterCACertificate: "Q0E=",
		RepositoryURL:        "127.0.0.1:5000/mvm",
		IngressIP:            ingressIP,
		ClusterName:          filepath.Base(in.Dir()),
		Location:             "europe-west1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Outputs() (-want +got):\n%s", diff)
	}
}

// checkTerraformEnv reads the environment terraform ran the stand-in's hook
// with.
func checkTerraformEnv(t *testing.T, path string) {
	t.Helper()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	for _, want := range []string{"CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "GOOGLE_OAUTH_ACCESS_TOKEN=fake"} {
		if !contains(lines, want) {
			t.Errorf("terraform's environment lacks %s", want)
		}
	}
	for _, line := range lines {
		if strings.HasPrefix(line, "TF_CLI_CONFIG_FILE=") && !strings.HasSuffix(line, "/terraform/terraformrc") {
			t.Errorf("terraform ran with %s, want mvm's own configuration", line)
		}
	}
}

func contains(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// checkStateIn checks that local state is in the working directory, under
// the state directory.
func checkStateIn(t *testing.T, dir, stateDir string) {
	t.Helper()

	if want := filepath.Join(stateDir, "gke", "mvm-e2e-test", "europe-west1", "lifecycle"); dir != want {
		t.Errorf("working directory %s, want %s", dir, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "terraform.tfstate")); err != nil {
		t.Error(err)
	}
}

// checkState reads the local state file: each resource with its instance's
// status ("" or "tainted"). It also checks that no lock was left behind.
func checkState(t *testing.T, dir string, want map[string]string) {
	t.Helper()

	data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Type, Name string
			Instances  []struct{ Status string }
		}
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range state.Resources {
		for _, i := range r.Instances {
			got[r.Type+"."+r.Name] = i.Status
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, ".terraform.tfstate.lock.info")); err == nil {
		t.Error("the state is still locked")
	}
}

// waitForFile polls for path until the test's deadline.
func waitForFile(t *testing.T, path string) {
	t.Helper()

	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := os.Stat(path); err == nil {
			return
		}
		select {
		case <-t.Context().Done():
			t.Fatalf("%s never appeared", path)
		case <-tick.C:
		}
	}
}

// testWriter sends the logger's lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestTerraformArgv records every command line mvm hands terraform through
// a wrapper in front of the real binary, over a whole lifecycle.
func TestTerraformArgv(t *testing.T) {
	e := newEnv(t)
	t.Parallel()
	dir := t.TempDir()
	record := filepath.Join(dir, "argv")
	wrapper := filepath.Join(dir, "terraform")
	script := "#!/bin/sh\nprintf '%s\\n' \"$*\" >> " + record + "\nexec /usr/local/bin/terraform \"$@\"\n"
	if err := os.WriteFile(wrapper, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	e.opts.Terraform = wrapper
	ctx := t.Context()

	in := e.prepare(t, standIn("argv", ""))
	for _, step := range []func() error{
		func() error { _, err := in.Plan(ctx); return err },
		func() error { return in.Apply(ctx) },
		func() error { _, err := in.Outputs(ctx); return err },
		func() error { _, err := in.PlanDestroy(ctx); return err },
		func() error { return in.Apply(ctx) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}

	data, err := os.ReadFile(record)
	if err != nil {
		t.Fatal(err)
	}
	plan := filepath.Join(in.Dir(), "mvm.tfplan")
	want := []string{
		"version -json",
		"init -no-color -input=false -backend=true -get=true -upgrade=true",
		"plan -no-color -input=false -detailed-exitcode -lock-timeout=0s -out=" + plan +
			" -lock=true -parallelism=10 -refresh=true",
		"show -json -no-color " + plan,
		"apply -no-color -auto-approve -input=false -lock=true -parallelism=10 -refresh=true " + plan,
		"output -no-color -json",
		"plan -no-color -input=false -detailed-exitcode -lock-timeout=0s -out=" + plan +
			" -lock=true -parallelism=10 -refresh=true -destroy",
		"show -json -no-color " + plan,
		"apply -no-color -auto-approve -input=false -lock=true -parallelism=10 -refresh=true " + plan,
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(string(data)), "\n")); diff != "" {
		t.Errorf("terraform command lines (-want +got):\n%s", diff)
	}
}

// TestDeclinedPlanChangesNothing declines the plan: nothing is applied, the
// saved plan is gone, and nothing else is needed to get there (no image, no
// cluster).
func TestDeclinedPlanChangesNothing(t *testing.T) {
	e := newEnv(t)
	t.Parallel()

	in, err := gke.Prepare(t.Context(), standIn("declined", ""), e.opts)
	if err != nil {
		t.Fatal(err)
	}
	var asked *gke.Summary
	_, err = in.Promote(t.Context(), gke.PromoteOptions{
		Desktop: manifests.Params{Name: "declined", Token: "a-token-of-at-least-16"},
		Image:   "mvm.local/desktop:slim", Engine: unusedEngine{},
		Confirm: func(s *gke.Summary) error { asked = s; return gke.ErrDeclined },
	})
	if !errors.Is(err, gke.ErrDeclined) {
		t.Fatalf("Promote() = %v, want ErrDeclined", err)
	}
	if asked == nil || asked.Counts() != "+2 ~0 -0" {
		t.Errorf("asked to confirm %v, want the plan +2 ~0 -0", asked)
	}
	for _, name := range []string{"mvm.tfplan", "terraform.tfstate"} {
		if _, err := os.Stat(filepath.Join(in.Dir(), name)); err == nil {
			t.Errorf("%s exists after declining", name)
		}
	}
}

// unusedEngine fails a test that pushes.
type unusedEngine struct{ gke.Pusher }
