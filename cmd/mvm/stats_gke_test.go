package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	osexec "os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/stats"
	"github.com/mvm-dev/mvm/internal/testenv/standin"
	"github.com/mvm-dev/mvm/manifests"
)

// TestStatsReadsPromotedGKEDesktop promotes a desktop to the stand-in
// target with the command, then runs mvm stats as a new process would: the
// GKE desktop is a row with its state, clients and traffic, read through
// the endpoint and CA in the target's Terraform outputs with the Google
// token, not an unreachable line.
func TestStatsReadsPromotedGKEDesktop(t *testing.T) {
	k, reg := standInTarget(t)

	dockerHost := os.Getenv("DOCKER_HOST")
	goCaches := goCachesOf(t)
	promoteEnv(t, false) // HTTPS_PROXY points at a closed loopback port: nothing reaches Google
	t.Setenv("DOCKER_HOST", dockerHost)
	// promote compiles the agent; with the new HOME, Go would look for its
	// modules there and try the (unreachable) proxy.
	for k, v := range goCaches {
		t.Setenv(k, v)
	}
	t.Setenv("GOOGLE_OAUTH_ACCESS_TOKEN", k.Token)
	module := t.TempDir()
	copyModule(t, standin.ModuleDir(), module)
	writeVars(t, module, k.Endpoint, k.CA, reg.Addr+"/mvm")

	// mvm stats reads the namespace mvm, where promote puts desktops by
	// default; only this desktop is removed from it afterwards, since the
	// cluster is shared.
	name := "gke-stats"
	deleteDesktopAfter(t, k, name)
	code, _, errOut := run(t, "promote", "gke", "--project", "mvm-e2e-test", "--region", "europe-west1",
		"--module", module, "--name", name, "--yes", "--detach",
		"--flavor", "slim", "--cpus", "0.1", "--memory", "384MiB")
	if code != 0 {
		t.Fatalf("promote: exit %d:\n%s", code, errOut)
	}

	start := time.Now()
	code, out, errOut := run(t, "stats", "--target", "gke", "--json")
	if code != 0 {
		t.Fatalf("stats: exit %d:\n%s", code, errOut)
	}
	t.Logf("mvm stats --target gke --json took %s:\n%s", time.Since(start).Round(time.Millisecond), out)
	var s stats.Snapshot
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("stats printed %q: %v", out, err)
	}
	if len(s.Unreachable) != 0 || len(s.Desktops) != 1 {
		t.Fatalf("stats: %d rows, unreachable %+v; want the promoted desktop's row", len(s.Desktops), s.Unreachable)
	}
	r := s.Desktops[0]
	switch {
	case r.Name != name || r.Target != "gke" || r.Context != "mvm-e2e-test/europe-west1/mvm":
		t.Errorf("row %s on %s (%s), want %s on gke (mvm-e2e-test/europe-west1/mvm)", r.Name, r.Target, r.Context, name)
	case r.State != "running":
		t.Errorf("state %q (%s), want running", r.State, r.Note)
	case r.Clients == nil || *r.Clients != 0 || r.TxBytes == nil || *r.TxBytes == 0:
		t.Errorf("clients %v, sent %v (%s); want the agent's figures: none connected, the probe's frame sent",
			r.Clients, r.TxBytes, r.Note)
	case r.FirstFrame == nil:
		t.Error("no first frame: want the one promote recorded")
	}

	code, out, _ = run(t, "stats", "--target", "gke")
	t.Logf("mvm stats --target gke: exit %d\n%s", code, out)
}

// goCachesOf is where this Go keeps modules and builds, so that a build
// under another HOME finds them, without the network.
func goCachesOf(t *testing.T) map[string]string {
	t.Helper()
	out, err := osexec.Command("go", "env", "GOMODCACHE", "GOCACHE").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	v := strings.Fields(string(out))
	if len(v) != 2 {
		t.Fatalf("go env printed %q", out)
	}
	return map[string]string{"GOMODCACHE": v[0], "GOCACHE": v[1], "GOPROXY": "off"}
}

// deleteDesktopAfter removes the desktop's objects from namespace mvm when
// the test ends, and nothing else there.
func deleteDesktopAfter(t *testing.T, k *standin.Kind, name string) {
	t.Helper()
	t.Cleanup(func() {
		ca, err := base64.StdEncoding.DecodeString(k.CA)
		if err != nil {
			t.Error(err)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		cfg, err := kube.ConfigFromToken(k.Endpoint, ca, k.Token)
		if err == nil {
			var c *kube.Client
			if c, err = kube.Connect(ctx, cfg); err == nil {
				_, err = c.Delete(ctx, manifests.DefaultNamespace, name, false)
			}
		}
		if err != nil {
			t.Errorf("remove desktop %s: %v", name, err)
		}
	})
}
