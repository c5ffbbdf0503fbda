package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestStatsBadInput(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv("MVM_STATE_DIR", t.TempDir())
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown target", []string{"stats", "--target", "aws"}, `unknown target "aws"`},
		{"bad pattern", []string{"stats", "dev["}, "bad name pattern"},
		{"tiny interval", []string{"stats", "--watch", "--interval", "1ms"}, "invalid --interval"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, tt.want)
			}
		})
	}
}

// TestStatsWithTheEngineDown: an unreachable engine is a line of the
// output, and the command succeeds.
func TestStatsWithTheEngineDown(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv("MVM_STATE_DIR", t.TempDir())

	code, stdout, stderr := run(t, "stats")
	if code != 0 || !strings.Contains(stdout, "docker  unreachable  cannot reach the Docker Engine") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	code, stdout, _ = run(t, "stats", "--json")
	var s struct {
		Desktops    []any `json:"desktops"`
		Unreachable []struct {
			Target string `json:"target"`
		} `json:"unreachable"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); err != nil || code != 0 {
		t.Fatalf("exit %d, JSON %v:\n%s", code, err, stdout)
	}
	if len(s.Unreachable) != 1 || s.Unreachable[0].Target != "docker" || s.Desktops == nil {
		t.Errorf("JSON %s, want no desktops and docker unreachable", stdout)
	}
}
