package stats

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/local/docker"
)

// benchDesktops is how many desktops the refresh benchmark runs: 50 slim
// desktops with the default 1 GiB limit idle at about 35 MiB each.
const benchDesktops = 50

// BenchmarkRefresh starts 50 desktops and measures one refresh of all of
// them, against the engine's own floor in the same run: a one-shot stats
// read of a single container, and of all 50 at once. steady-50 reads the
// local engine's containers from their cgroups; steady-50-engine-stats
// reads the same through the engine's stats, as for a remote engine.
//
//	MVM_E2E=docker go test -run '^$' -bench Refresh -benchtime 5x ./internal/stats/
func BenchmarkRefresh(b *testing.B) {
	e := newDockerEnv(b)
	sfx := suffix()
	ups := e.upMany(b, "bench-"+sfx, benchDesktops)
	f := Filter{Names: []string{"bench-" + sfx + "-*"}}

	var floor, floor50, steady float64
	b.Run("engine-floor-1-oneshot", func(b *testing.B) {
		for b.Loop() {
			if _, err := docker.Sample(b.Context(), e.c, ups[0].Desktop.ContainerID); err != nil {
				b.Fatal(err)
			}
		}
		floor = perOp(b)
	})
	b.Run(fmt.Sprintf("engine-floor-%d-oneshots", benchDesktops), func(b *testing.B) {
		for b.Loop() {
			sampleAll(b, e, ups)
		}
		floor50 = perOp(b)
	})
	b.Run(fmt.Sprintf("first-%d", benchDesktops), func(b *testing.B) {
		for b.Loop() {
			c := e.collector(f)
			mustCollect(b, c, benchDesktops)
			c.Close()
		}
	})
	b.Run(fmt.Sprintf("steady-%d", benchDesktops), func(b *testing.B) {
		c := e.collector(f)
		defer c.Close()
		mustCollect(b, c, benchDesktops) // the first refresh takes the first samples
		cpu0 := processCPU()
		b.ResetTimer()
		for b.Loop() {
			mustCollect(b, c, benchDesktops)
		}
		steady = perOp(b)
		b.ReportMetric(float64(processCPU()-cpu0)/float64(time.Millisecond)/float64(b.N), "mvm-cpu-ms/op")
	})
	b.Run(fmt.Sprintf("steady-%d-engine-stats", benchDesktops), func(b *testing.B) {
		c := e.engineCollector(f)
		defer c.Close()
		mustCollect(b, c, benchDesktops)
		b.ResetTimer()
		for b.Loop() {
			mustCollect(b, c, benchDesktops)
		}
	})
	b.Run(fmt.Sprintf("watch-every-2s-%d", benchDesktops), func(b *testing.B) {
		c := e.collector(f)
		defer c.Close()
		mustCollect(b, c, benchDesktops)
		// Refreshes start 2 s apart, as --watch starts them: where a start
		// falls in the engine's once-a-second stats cycle decides how long
		// the engine makes it wait.
		var took []float64
		next := time.Now()
		for b.Loop() {
			b.StopTimer()
			time.Sleep(time.Until(next))
			next = time.Now().Add(2 * time.Second)
			b.StartTimer()
			took = append(took, float64(mustCollect(b, c, benchDesktops).Took))
		}
		slices.Sort(took)
		b.ReportMetric(took[0], "min-s/refresh")
		b.ReportMetric(took[len(took)/2], "p50-s/refresh")
		b.ReportMetric(took[len(took)-1], "max-s/refresh")
	})
	if floor == 0 || floor50 == 0 || steady == 0 {
		return // some sub-benchmarks were filtered out
	}
	b.Logf("steady refresh of %d desktops = %.2f× one one-shot read of one container, "+
		"%.2f× %d concurrent one-shot reads alone", benchDesktops, steady/floor, steady/floor50, benchDesktops)
}

// BenchmarkDesktopCostOfPolling measures what a watch costs the desktops:
// the CPU time that idle desktops use with no stats, with a full refresh
// every second, and with each part of it alone (the engine's one-shot
// stats, the cgroup reads that replace them for a local engine, the
// agents' /metrics), so that a cost can be told from noise and traced.
//
//	MVM_E2E=docker go test -run '^$' -bench DesktopCost -benchtime 1x ./internal/stats/
func BenchmarkDesktopCostOfPolling(b *testing.B) {
	e := newDockerEnv(b)
	sfx := suffix()
	ups := e.upMany(b, "cost-"+sfx, 10)
	f := Filter{Names: []string{"cost-" + sfx + "-*"}}
	const window = 20 * time.Second

	every := func(tick func()) func() {
		return func() {
			ctx, cancel := context.WithTimeout(b.Context(), window)
			defer cancel()
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				tick()
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}
	}
	c := e.collector(f)
	defer c.Close()
	agents := newAgentClient()
	windows := []struct {
		name string
		run  func()
	}{
		{"none", func() { time.Sleep(window) }},
		{"refresh", every(func() { mustCollect(b, c, len(ups)) })},
		{"engine-only", every(func() { sampleAll(b, e, ups) })},
		{"cgroups-only", every(readCgroups(b, e, ups))},
		{"agents-only", every(func() { getAllMetrics(b, agents, ups) })},
		{"none-again", func() { time.Sleep(window) }},
	}
	for b.Loop() {
		for _, w := range windows {
			ms := e.desktopCPU(b, ups, w.run)
			b.ReportMetric(ms, "desktop-cpu-ms/s-"+w.name)
			b.Logf("%d idle desktops, polling %-11s: %.3f ms of CPU per second, all together", len(ups), w.name, ms)
		}
	}
}

// engineCollector is a collector that cannot tell that the engine is
// local, so that it reads the engine's stats as for a remote engine: the
// figure the cgroup reads are measured against.
func (e *dockerEnv) engineCollector(f Filter) *Collector {
	return NewCollector(Options{
		Store:  e.store,
		Filter: f,
		Docker: func(context.Context) (DockerEngine, error) { return remoteEngine{e.c}, nil },
	})
}

// remoteEngine hides the client's DaemonHost.
type remoteEngine struct{ DockerEngine }

func getAllMetrics(b *testing.B, c *http.Client, ups []*docker.UpResult) {
	var wg sync.WaitGroup
	for _, u := range ups {
		wg.Go(func() {
			if _, err := getAgentMetrics(b.Context(), c, u.Desktop.URL(), u.Token); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
}

// readCgroups finds the desktops' cgroups and returns a function that
// reads them all, as a refresh does for a local engine.
func readCgroups(b *testing.B, e *dockerEnv, ups []*docker.UpResult) func() {
	b.Helper()
	cgs := make([]*docker.Cgroup, len(ups))
	for i, u := range ups {
		info, err := e.c.ContainerInspect(b.Context(), u.Desktop.ContainerID)
		if err != nil {
			b.Fatal(err)
		}
		if cgs[i], err = docker.FindCgroup(u.Desktop.ContainerID, info.State.Pid); err != nil {
			b.Fatal(err)
		}
	}
	return func() {
		for _, cg := range cgs {
			if _, err := cg.Read(); err != nil {
				b.Error(err)
			}
		}
	}
}

// desktopCPU runs f and returns the CPU time all the desktops used in the
// meantime, in milliseconds per second.
func (e *dockerEnv) desktopCPU(b *testing.B, ups []*docker.UpResult, f func()) float64 {
	b.Helper()
	total := func() (uint64, time.Time) {
		var sum atomic.Uint64
		var wg sync.WaitGroup
		for _, u := range ups {
			wg.Go(func() {
				s, err := docker.Sample(context.Background(), e.c, u.Desktop.ContainerID)
				if err != nil {
					b.Error(err)
				}
				sum.Add(s.CPUTotal)
			})
		}
		wg.Wait()
		return sum.Load(), time.Now()
	}
	before, t0 := total()
	f()
	after, t1 := total()
	return float64(after-before) / 1e6 / t1.Sub(t0).Seconds()
}

// upMany starts n desktops, four at a time, and removes them at the end.
func (e *dockerEnv) upMany(b *testing.B, prefix string, n int) []*docker.UpResult {
	b.Helper()
	t0 := time.Now()
	out := make([]*docker.UpResult, n)
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			out[i] = e.up(b, fmt.Sprintf("%s-%02d", prefix, i))
		})
	}
	wg.Wait()
	b.Logf("started %d desktops (%d MiB limit each) in %s",
		n, desktop.DefaultMemory>>20, time.Since(t0).Round(time.Second))
	return out
}

// sampleAll reads the one-shot stats of every desktop at once, and nothing
// else: what the engine alone needs for a refresh.
func sampleAll(b *testing.B, e *dockerEnv, ups []*docker.UpResult) {
	var wg sync.WaitGroup
	for _, u := range ups {
		wg.Go(func() {
			if _, err := docker.Sample(b.Context(), e.c, u.Desktop.ContainerID); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
}

func mustCollect(b *testing.B, c *Collector, want int) *Snapshot {
	b.Helper()
	s, err := c.Collect(b.Context())
	if err != nil {
		b.Fatal(err)
	}
	if len(s.Desktops) != want || len(s.Unreachable) != 0 {
		b.Fatalf("%d rows and %d unreachable, want %d rows", len(s.Desktops), len(s.Unreachable), want)
	}
	for _, r := range s.Desktops {
		if r.CPUPercent == nil || r.Clients == nil {
			b.Fatalf("%s lacks figures: %s", r.Name, r.Note)
		}
	}
	return s
}

func perOp(b *testing.B) float64 {
	return b.Elapsed().Seconds() / float64(max(b.N, 1))
}

// processCPU is the CPU time this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
