package stats

import (
	"context"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"

	"github.com/mvm-dev/mvm/local/docker"
)

// fakeEngine answers the calls that sampling makes; every other call of
// the interface panics.
type fakeEngine struct {
	DockerEngine
	host     string
	pid      int
	inspects int
}

func (f *fakeEngine) DaemonHost() string { return f.host }

func (f *fakeEngine) ContainerInspect(context.Context, string) (container.InspectResponse, error) {
	f.inspects++
	return container.InspectResponse{ContainerJSONBase: &container.ContainerJSONBase{
		State: &container.State{Running: true, Pid: f.pid},
	}}, nil
}

func (f *fakeEngine) ContainerStatsOneShot(context.Context, string) (container.StatsResponseReader, error) {
	body := `{"read":"2026-01-02T03:04:05Z","cpu_stats":{"cpu_usage":{"total_usage":5},"system_cpu_usage":9,` +
		`"online_cpus":2},"memory_stats":{"usage":300,"limit":1000,"stats":{"total_inactive_file":100}}}`
	return container.StatsResponseReader{Body: io.NopCloser(strings.NewReader(body))}, nil
}

// TestSampleFallsBackToTheEngine checks when the cgroup fast path is not
// taken: an engine that is not on a local socket is never asked for PIDs,
// and a local engine whose container PID is not that container's here
// (another PID namespace, a VM) is asked for its stats, and for the PID
// only once.
func TestSampleFallsBackToTheEngine(t *testing.T) {
	t.Parallel()
	const id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name         string
		host         string
		wantInspects int
	}{
		{"remote engine", "tcp://192.0.2.1:2376", 0},
		{"local socket, foreign PID", "unix:///var/run/docker.sock", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// This test's own process is no container's first process.
			e := &fakeEngine{host: tt.host, pid: os.Getpid()}
			s := &dockerSource{connect: func(context.Context) (DockerEngine, error) { return e, nil }}
			if _, err := s.ensureEngine(t.Context()); err != nil {
				t.Fatal(err)
			}
			for range 2 {
				u, err := s.sample(t.Context(), e, id)
				if err != nil {
					t.Fatal(err)
				}
				if u.Source != docker.SourceEngine || u.Memory != 200 || u.MemoryLimit != 1000 {
					t.Errorf("sample %+v, want the engine's: 200 of 1000 bytes", u)
				}
			}
			if e.inspects != tt.wantInspects {
				t.Errorf("inspected %d times, want %d", e.inspects, tt.wantInspects)
			}
		})
	}
}
