package stats

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// sampleSnapshot has a desktop of each kind the output must show: one with
// every figure, one stopped, one recorded but gone, a Kubernetes desktop
// with a context, and an unreachable target.
func sampleSnapshot() *Snapshot {
	at := time.Date(2026, 12, 4, 7, 0, 0, 0, time.UTC)
	f, u, c := 12.5, uint64(36<<20), int64(1)
	limit, rx, tx, up := uint64(1<<30), uint64(2048), uint64(4_096_000), 3723.0
	return &Snapshot{
		Time: at,
		Took: 0.412,
		Desktops: []Row{
			{
				Name: "dev", Target: "docker", State: "running", CPUPercent: &f, MemoryBytes: &u,
				MemoryLimitBytes: &limit, RxBytes: &rx, TxBytes: &tx, Clients: &c,
				StartedAt: at.Add(-3723 * time.Second), UptimeSeconds: &up,
				FirstFrame: &FirstFrame{At: at.Add(-time.Hour), Seconds: 0.487, Cold: true},
			},
			{Name: "old", Target: "docker", State: "exited"},
			{Name: "gone", Target: "docker", State: "missing", Note: "recorded by mvm but not found on docker"},
			{
				Name: "dev", Target: "kind", Context: "kind-mvm", Namespace: "mvm", State: "pending",
				Note: "ErrImageNeverPull",
			},
		},
		Unreachable: []Unreachable{{Target: "gke", Context: "gke_p_europe-west1_mvm", Reason: "dial tcp: i/o timeout"}},
		Starts: []StartSummary{
			{Target: "docker", Kind: "all", Count: 3, P50: 0.487, P95: 1.2},
			{Target: "docker", Kind: "cold", Count: 3, P50: 0.487, P95: 1.2},
		},
	}
}

// TestJSONShape pins the JSON that scripts read: renaming a field, or
// turning a missing figure into 0, breaks them. Run with -update after a
// deliberate change.
func TestJSONShape(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	golden(t, "snapshot.json", buf.String())
}

func TestTable(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTable(&buf, sampleSnapshot()); err != nil {
		t.Fatal(err)
	}
	golden(t, "table.txt", buf.String())
}

func TestEmptySnapshotIsEmptyListsInJSON(t *testing.T) {
	t.Parallel()
	c := NewCollector(Options{Store: storeIn(t)})
	s, err := c.Collect(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, s); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"desktops": []`, `"unreachable": []`, `"starts": []`} {
		if !strings.Contains(buf.String(), field) {
			t.Errorf("JSON of an empty snapshot lacks %s:\n%s", field, buf.String())
		}
	}
}

func TestWatchWritesATablePerRefresh(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var frames int
	w := writerFunc(func(p []byte) (int, error) {
		frames++
		return buf.Write(p)
	})
	c := NewCollector(Options{Store: storeIn(t)})
	ctx, cancel := contextAfter(t, 250*time.Millisecond)
	defer cancel()
	if err := Watch(ctx, c, w, WatchOptions{Interval: 50 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "NAME  TARGET"); n < 2 || n != frames {
		t.Errorf("%d tables in %d writes, want one per write and at least 2:\n%s", n, frames, buf.String())
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}
