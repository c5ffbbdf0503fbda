package stats

import (
	"testing"
	"time"

	"github.com/mvm-dev/mvm/local/docker"
)

// TestCgroupAgreesWithTheEngine reads a real desktop's cgroup the way the
// collector does for a local engine, and checks its figures against the
// engine's own stats of the same container: the CPU time the engine reads
// lies between two cgroup reads around its request, and the memory agrees
// within a margin for what changes between the two reads.
func TestCgroupAgreesWithTheEngine(t *testing.T) {
	e := newDockerEnv(t)
	ctx := t.Context()
	res := e.up(t, "st-cgroup-"+suffix())
	id := res.Desktop.ContainerID

	info, err := e.c.ContainerInspect(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	cg, err := docker.FindCgroup(id, info.State.Pid)
	if err != nil {
		t.Fatalf("the engine is local, but its container's cgroup was not found: %v", err)
	}
	t.Logf("cgroup v%d: cpu %s, memory %s", cg.Version, cg.CPUDir, cg.MemoryDir)

	before := mustRead(t, cg)
	engine, err := docker.Sample(ctx, e.c, id)
	if err != nil {
		t.Fatal(err)
	}
	after := mustRead(t, cg)
	t.Logf("memory: cgroup %d then %d, engine %d bytes; CPU: cgroup %d then %d, engine %d ns",
		before.Memory, after.Memory, engine.Memory, before.CPUTotal, after.CPUTotal, engine.CPUTotal)

	if engine.CPUTotal < before.CPUTotal || engine.CPUTotal > after.CPUTotal {
		t.Errorf("engine's CPU time %d ns is not between the cgroup's %d and %d read around it",
			engine.CPUTotal, before.CPUTotal, after.CPUTotal)
	}
	lo, hi := min(before.Memory, after.Memory), max(before.Memory, after.Memory)
	const margin = 4 << 20 // an idle desktop's memory moves by far less in a second
	if engine.Memory+margin < lo || engine.Memory > hi+margin {
		t.Errorf("engine's memory %d bytes is more than %d off the cgroup's %d..%d",
			engine.Memory, margin, lo, hi)
	}
	if after.MemoryLimit != engine.MemoryLimit {
		t.Errorf("cgroup memory limit %d, engine's %d", after.MemoryLimit, engine.MemoryLimit)
	}
}

// TestCollectorReadsLocalCgroups checks that the collector takes the fast
// path for the local engine here, and that its row has every figure.
func TestCollectorReadsLocalCgroups(t *testing.T) {
	e := newDockerEnv(t)
	name := "st-fast-" + suffix()
	res := e.up(t, name)

	time.Sleep(time.Second) // an uptime of 0 s would read as none
	c := e.collector(Filter{Names: []string{name}})
	defer c.Close()
	for range 2 { // the first refresh samples twice, the second uses the first
		s, err := c.Collect(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		logTable(t, s)
		if len(s.Desktops) != 1 {
			t.Fatalf("%d rows, want 1", len(s.Desktops))
		}
		checkRunning(t, s.Desktops[0], 0)
	}
	if cg := c.docker.cgroups[res.Desktop.ContainerID]; cg == nil {
		t.Error("the collector read the engine's stats, not the local container's cgroup")
	}
}

func mustRead(t *testing.T, cg *docker.Cgroup) docker.Usage {
	t.Helper()
	u, err := cg.Read()
	if err != nil {
		t.Fatal(err)
	}
	return u
}
