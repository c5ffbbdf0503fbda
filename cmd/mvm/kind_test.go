package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKindBadInput checks the answers that need no cluster: each is one
// line, given before anything is created.
func TestKindBadInput(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv("MVM_STATE_DIR", t.TempDir())
	t.Setenv("PATH", t.TempDir()) // no minikube, no docker

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"cluster name kind rejects", []string{"kind", "--cluster-name", "My_Cluster"}, 1,
			`invalid Kind cluster name "My_Cluster"`},
		{"cluster name too long", []string{"kind", "--cluster-name", strings.Repeat("k", 51)}, 1,
			"invalid Kind cluster name"},
		{"desktop name", []string{"kind", "--name", "Dev!"}, 1, "invalid desktop name"},
		{"stray argument", []string{"kind", "up"}, 2, "kind takes no arguments"},
		{"--cluster without --delete", []string{"kind", "--cluster"}, 2, "go with --delete"},
		{"--home without --delete", []string{"minikube", "--home"}, 2, "go with --delete"},
		{"minikube missing", []string{"minikube"}, 1, "minikube is not installed: get it from https://"},
		{"minikube profile", []string{"minikube", "-p", "Bad Profile"}, 1, "invalid minikube profile name"},
		{"engine down", []string{"kind", "--cluster-name", "mvm-bad-input"}, 1, "cannot reach the Docker Engine"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
			if n := strings.Count(stderr, "ERROR:"); n != 1 || strings.Count(strings.TrimSpace(stderr), "\n") > 3 {
				t.Errorf("want one ERROR line and no noise:\n%s", stderr)
			}
		})
	}
}

// TestKindBrokenKubeconfig checks that an unreadable kubeconfig stops mvm
// before kind creates a cluster it could not record.
func TestKindBrokenKubeconfig(t *testing.T) {
	kc := filepath.Join(t.TempDir(), "config")
	if err := os.WriteFile(kc, []byte("apiVersion: v1\nclusters: {{{ not yaml\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KUBECONFIG", kc)
	t.Setenv("MVM_STATE_DIR", t.TempDir())
	requireDockerForKind(t)

	code, _, stderr := run(t, "kind", "--flavor", "slim", "--cluster-name", "mvm-never-made")
	if code != 1 || !strings.Contains(stderr, "kubeconfig "+kc+" cannot be read") {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if strings.Count(stderr, "ERROR:") != 1 {
		t.Errorf("want one ERROR line:\n%s", stderr)
	}
	if out, _ := dockerNames(t); strings.Contains(out, "mvm-never-made") {
		t.Errorf("a node of cluster mvm-never-made exists after the error")
	}
}
