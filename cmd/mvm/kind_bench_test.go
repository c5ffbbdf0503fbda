package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/mvm-dev/mvm/internal/testenv/kindtest"
)

// BenchmarkKindUnchanged times the whole `mvm kind` command, as a user runs
// it, on a cluster where the desktop already runs the current image: the
// image check, the cluster check, the load check, an apply that changes
// nothing, and the first frame. Target: at most 2 s.
func BenchmarkKindUnchanged(b *testing.B) {
	requireDockerForKind(b)
	existed := kindtest.Lock(b)
	b.Setenv("MVM_STATE_DIR", b.TempDir())
	cluster := kindtest.Name()
	args := []string{"kind", "--flavor", "slim", "--cluster-name", cluster, "--name", "bench-cli"}
	if code, stderr := runQuiet(append(args, "--image", kindtest.NodeImage)...); code != 0 {
		b.Fatal(stderr)
	}
	b.Cleanup(func() {
		del := []string{"kind", "--delete", "--cluster-name", cluster, "--name", "bench-cli"}
		if !existed {
			del = append(del, "--cluster")
		}
		runQuiet(del...)
	})

	for b.Loop() {
		code, stderr := runQuiet(args...)
		if code != 0 || !strings.Contains(stderr, "reused") {
			b.Fatalf("exit %d:\n%s", code, stderr)
		}
	}
}

// runQuiet runs mvm in process and returns its exit code and stderr.
func runQuiet(args ...string) (int, string) {
	var out, errOut bytes.Buffer
	err := newApp(&out, &errOut).RunContext(context.Background(), append([]string{"mvm"}, args...))
	return report(&errOut, err), errOut.String()
}
