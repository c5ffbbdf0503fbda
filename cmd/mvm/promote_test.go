package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dockerimage "github.com/docker/docker/api/types/image"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/standin"
)

// promoteEnv isolates mvm's directories and keeps every Google client off
// the network: credentials come from a variable or from a missing file,
// never from the metadata server.
func promoteEnv(t *testing.T, credentials bool) {
	t.Helper()

	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", home+"/cache")
	t.Setenv("XDG_STATE_HOME", home+"/state")
	t.Setenv("MVM_STATE_DIR", home+"/mvm-state")
	t.Setenv("HTTPS_PROXY", "http://127.0.0.1:1")
	t.Setenv("HTTP_PROXY", "http://127.0.0.1:1")
	t.Setenv("CHECKPOINT_DISABLE", "1")
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv("GOOGLE_CREDENTIALS", "")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", home+"/no-such-credentials.json")
	t.Setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "")
	if credentials {
		t.Setenv("GOOGLE_OAUTH_ACCESS_TOKEN", "fake")
	}
}

func TestPromoteGKEBadInput(t *testing.T) {
	tests := []struct {
		name        string
		args        []string
		credentials bool
		code        int
		want        []string
	}{
		{
			name: "plan and destroy", args: []string{"--plan", "--destroy"}, credentials: true, code: 2,
			want: []string{"ERROR: --plan and --destroy cannot be combined (see mvm --help)"},
		},
		{
			name: "nothing given", code: 1,
			want: []string{
				"ERROR: no project: give the ID of the Google Cloud project to use",
				`region "" is not a Google Cloud region such as europe-west1`,
				`no Google credentials: run "gcloud auth application-default login" or set GOOGLE_OAUTH_ACCESS_TOKEN`,
			},
		},
		{
			name: "wrong region", args: []string{"--project", "mvm-example", "--region", "europe"},
			credentials: true, code: 1,
			want: []string{`ERROR: region "europe" is not a Google Cloud region such as europe-west1`},
		},
		{
			name: "bad domain", credentials: true, code: 1,
			args: []string{"--project", "mvm-example", "--region", "europe-west1", "--domain", "https://x"},
			want: []string{`ERROR: domain "https://x" is not a lowercase DNS name such as desktop.example.com`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			promoteEnv(t, tt.credentials)
			code, out, errOut := run(t, append([]string{"promote", "gke"}, tt.args...)...)
			if code != tt.code || out != "" {
				t.Errorf("exit %d, stdout %q; want exit %d and no output", code, out, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// TestPromoteGKETerraformFailure runs real terraform on a module whose plan
// fails: one line says what failed and where, terraform's diagnostic
// follows.
func TestPromoteGKETerraformFailure(t *testing.T) {
	testenv.Require(t, testenv.Terraform)
	promoteEnv(t, true)

	code, out, errOut := run(t, "promote", "gke", "--project", "mvm-example", "--region", "europe-west1",
		"--module", standin.ModuleDir(), "--plan")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing:\n%s", code, out, errOut)
	}
	first := errOut[strings.Index(errOut, "ERROR: "):]
	line, rest, _ := strings.Cut(first, "\n")
	if !strings.HasPrefix(line, "ERROR: terraform plan in ") || !strings.HasSuffix(line, ": exit status 1") {
		t.Errorf("first line %q, want what failed and where", line)
	}
	if !strings.Contains(rest, "No value for required variable") {
		t.Errorf("terraform's diagnostic is missing:\n%s", errOut)
	}
}

// TestPromoteGKEPlanJSON plans the stand-in module with every variable given:
// the summary is the command's data on stdout.
func TestPromoteGKEPlanJSON(t *testing.T) {
	testenv.Require(t, testenv.Terraform)
	promoteEnv(t, true)

	// The stand-in's own variables come from its defaults file here.
	module := t.TempDir()
	copyModule(t, standin.ModuleDir(), module)
	code, out, errOut := run(t, "promote", "gke", "--project", "mvm-example", "--region", "europe-west1",
		"--module", module, "--plan", "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errOut)
	}
	want := `"add": 2`
	if !strings.Contains(out, want) || !strings.Contains(out, `"address": "terraform_data.cluster"`) {
		t.Errorf("stdout lacks %s and the cluster:\n%s", want, out)
	}
}

// copyModule copies the stand-in module and gives its pass-through
// variables values in terraform.tfvars, which mvm's own variables file
// does not touch.
func copyModule(t *testing.T, from, to string) {
	t.Helper()

	files, err := filepath.Glob(filepath.Join(from, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no module in %s (%v)", from, err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(f)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vars := "cluster_endpoint = \"https://127.0.0.1:6443\"\ncluster_ca_certificate = \"Q0E=\"\n" +
		"repository_url = \"127.0.0.1:5000/mvm\"\n"
	if err := os.WriteFile(filepath.Join(to, "terraform.tfvars"), []byte(vars), 0o644); err != nil {
		t.Fatal(err)
	}
}

// standInTarget brings up the stand-in target's Kind cluster and a registry on
// 127.0.0.1 that its node trusts.
func standInTarget(t *testing.T) (*standin.Kind, *standin.Registry) {
	t.Helper()
	testenv.Require(t, testenv.Kind)
	dc := testenv.DockerClient(t)
	img := testenv.DesktopImage(t, dc, image.Slim)
	k := standin.KindCluster(t)
	reg := standin.StartRegistry(t, k.Token, k.Gateway)
	k.TrustRegistry(t, reg.Addr, "http://"+reg.NodeAddr)

	// promote leaves the registry's name for the image on the engine, as
	// docker push does; the test's registry is gone afterwards.
	pushed := reg.Addr + "/mvm/desktop:" + img.Ref[strings.LastIndex(img.Ref, ":")+1:]
	t.Cleanup(func() { _, _ = dc.ImageRemove(context.Background(), pushed, dockerimage.RemoveOptions{}) })
	return k, reg
}

// TestPromoteGKECommandOnStandIn runs `mvm promote gke` and then
// `mvm promote gke --destroy` against the stand-in target: a Kind cluster,
// a registry on 127.0.0.1 and the stand-in module.
func TestPromoteGKECommandOnStandIn(t *testing.T) {
	k, reg := standInTarget(t)

	dockerHost := os.Getenv("DOCKER_HOST")
	promoteEnv(t, false)
	t.Setenv("DOCKER_HOST", dockerHost)
	// The stand-in module has no provider: terraform contacts nothing. The
	// image build compiles the agent, which may need the Go module proxy.
	t.Setenv("HTTPS_PROXY", "")
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("GOOGLE_OAUTH_ACCESS_TOKEN", k.Token)
	module := t.TempDir()
	copyModule(t, standin.ModuleDir(), module)
	writeVars(t, module, k.Endpoint, k.CA, reg.Addr+"/mvm")
	args := []string{"promote", "gke", "--project", "mvm-e2e-test", "--region", "europe-west1",
		"--module", module, "--name", "cli", "--namespace", "mvm-promote-cli", "--yes"}

	code, out, errOut := run(t, append(args, "--flavor", "slim", "--cpus", "0.1", "--memory", "384MiB",
		"--detach", "--json")...)
	if code != 0 {
		t.Fatalf("promote: exit %d:\n%s", code, errOut)
	}
	var ready readyOutput
	if err := json.Unmarshal([]byte(out), &ready); err != nil {
		t.Fatalf("promote printed %q: %v", out, err)
	}
	if ready.Target != "gke" || !strings.HasPrefix(ready.URL, "http://127.0.0.1:") || ready.Phases["first frame"] == 0 {
		t.Errorf("promote printed %+v, want a gke desktop with a first frame", ready)
	}
	t.Logf("promote phases (s): %v, total %.1fs", ready.Phases, ready.TotalS)

	code, _, errOut = run(t, append(args, "--destroy")...)
	if code != 0 || !strings.Contains(errOut, "Removed +0 ~0 -2") {
		t.Fatalf("promote --destroy: exit %d:\n%s", code, errOut)
	}
}

// writeVars gives the stand-in's pass-through variables their values.
func writeVars(t *testing.T, module, endpoint, ca, repository string) {
	t.Helper()

	vars := fmt.Sprintf("cluster_endpoint = %q\ncluster_ca_certificate = %q\nrepository_url = %q\n",
		endpoint, ca, repository)
	if err := os.WriteFile(filepath.Join(module, "terraform.tfvars"), []byte(vars), 0o644); err != nil {
		t.Fatal(err)
	}
}
