package stats

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/mvm-dev/mvm/local/docker"
)

// DockerEngine is the part of the Docker Engine API that the Docker source
// reads: the listing of mvm's containers, their first process's PID and
// their one-shot stats. *client.Client has it. An engine that also has
// DaemonHost and names a unix socket there is taken to be local, and its
// containers' cgroups are read on this host where they can be.
type DockerEngine interface {
	docker.Engine
	ContainerStatsOneShot(ctx context.Context, id string) (container.StatsResponseReader, error)
}

// DockerConnector connects to the Docker Engine. The collector closes
// what it returns (if it has a Close method) when the collector is closed
// or the engine stops answering.
type DockerConnector func(ctx context.Context) (DockerEngine, error)

// dockerSource reads the desktops of one Docker Engine. It keeps the
// engine between refreshes, and each container's last sample: a CPU share
// needs two samples, and the previous refresh gives the first one.
type dockerSource struct {
	connect DockerConnector
	engine  DockerEngine
	// local is whether the engine runs on this host, so that its
	// containers' cgroups may be read here (see [dockerSource.sample]).
	local bool

	mu      sync.Mutex
	prev    map[string]docker.Usage   // by container ID
	cgroups map[string]*docker.Cgroup // by container ID; nil: use the engine
}

func (s *dockerSource) collect(ctx context.Context, r *refresh) part {
	e, err := s.ensureEngine(ctx)
	if err != nil {
		return unreachablePart(docker.Target, "", err)
	}
	ds, err := docker.List(ctx, e)
	if err != nil {
		s.close() // reconnect next time: the engine may have restarted
		return unreachablePart(docker.Target, "", err)
	}

	var selected []docker.Desktop
	for _, d := range ds {
		if r.filter.Match(docker.Target, d.Name) {
			selected = append(selected, d)
		}
	}
	rows := make([]Row, len(selected))
	r.each(len(selected), func(i int) { rows[i] = s.row(ctx, r, e, selected[i]) })

	s.forgetOthers(selected)
	rows = append(rows, r.missing(docker.Target, "", names(rows))...)
	return part{rows: rows}
}

func (s *dockerSource) ensureEngine(ctx context.Context) (DockerEngine, error) {
	if s.engine != nil {
		return s.engine, nil
	}
	e, err := s.connect(ctx)
	if err != nil {
		return nil, err
	}
	s.engine = e
	s.local = isLocal(e)
	return e, nil
}

// isLocal reports whether the engine listens on a unix socket of this
// host. That alone does not mean that its containers' processes are this
// host's (Docker Desktop's engine runs in a VM): [docker.FindCgroup]
// checks that.
func isLocal(e DockerEngine) bool {
	h, ok := e.(interface{ DaemonHost() string })
	return ok && strings.HasPrefix(h.DaemonHost(), "unix://")
}

// row reads one desktop: its usage from the engine and its clients, traffic
// and start from its agent, both at once.
func (s *dockerSource) row(ctx context.Context, r *refresh, e DockerEngine, d docker.Desktop) Row {
	row := Row{Name: d.Name, Target: docker.Target, State: d.State}
	if !d.Running() {
		return row
	}

	var wg sync.WaitGroup
	var usageErr error
	wg.Go(func() { usageErr = s.usage(ctx, r, e, d.ContainerID, &row) })
	get := func(ctx context.Context, token string) (AgentMetrics, error) {
		if d.Port == 0 {
			return AgentMetrics{}, fmt.Errorf("the desktop publishes no port")
		}
		return getAgentMetrics(ctx, r.agent, d.URL(), token)
	}
	notes := []string{r.agentFigures(ctx, d.Name, get, &row)}
	wg.Wait()

	if usageErr != nil {
		notes = append(notes, usageErr.Error())
	}
	row.Note = joinNotes(notes...)
	return row
}

// usage fills CPU and memory. A container seen for the first time is
// sampled twice, at least window apart, since a one-shot sample alone gives
// no CPU share.
//
// NOTE: Docker 20.10 answers a one-shot request at the next tick of its
// stats collector, once a second, so a sample from the engine takes up to
// 1 s and the first refresh two ticks; refreshes after it take one. A
// local engine's containers are therefore read from their cgroups.
func (s *dockerSource) usage(ctx context.Context, r *refresh, e DockerEngine, id string, row *Row) error {
	prev, seen := s.previous(id)
	if !seen {
		first, err := s.sample(ctx, e, id)
		if err != nil {
			return err
		}
		if err := sleep(ctx, r.window-time.Since(first.At)); err != nil {
			return err
		}
		prev = first
	}
	cur, err := s.sample(ctx, e, id)
	if err != nil {
		return err
	}
	s.remember(id, cur)

	cpu := docker.CPUPercent(prev, cur)
	row.CPUPercent = &cpu
	row.MemoryBytes = &cur.Memory
	if cur.MemoryLimit > 0 {
		row.MemoryLimitBytes = &cur.MemoryLimit
	}
	return nil
}

// sample reads a container's usage from its cgroup when the engine is
// local and the cgroup can be read here, else from the engine's one-shot
// stats. A container whose cgroup cannot be found is asked of the engine
// from then on.
//
// TODO: which source a row came from is not shown, not even with -v: the
// collector has no logger, and both sources give the same figures.
func (s *dockerSource) sample(ctx context.Context, e DockerEngine, id string) (docker.Usage, error) {
	cg, ok := s.cgroup(ctx, e, id)
	if ok {
		u, err := cg.Read()
		if err == nil {
			return u, nil
		}
		s.setCgroup(id, nil) // stopped or moved: the engine knows
	}
	return docker.Sample(ctx, e, id)
}

// cgroup finds the container's cgroup the first time it is asked for.
func (s *dockerSource) cgroup(ctx context.Context, e DockerEngine, id string) (*docker.Cgroup, bool) {
	if !s.local {
		return nil, false
	}
	s.mu.Lock()
	cg, known := s.cgroups[id]
	s.mu.Unlock()
	if known {
		return cg, cg != nil
	}

	info, err := e.ContainerInspect(ctx, id)
	if err == nil && info.State != nil {
		cg, err = docker.FindCgroup(id, info.State.Pid)
	}
	if err != nil {
		cg = nil
	}
	s.setCgroup(id, cg)
	return cg, cg != nil
}

func (s *dockerSource) setCgroup(id string, cg *docker.Cgroup) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cgroups == nil {
		s.cgroups = map[string]*docker.Cgroup{}
	}
	s.cgroups[id] = cg
}

func (s *dockerSource) previous(id string) (docker.Usage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.prev[id]
	return u, ok
}

func (s *dockerSource) remember(id string, u docker.Usage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.prev == nil {
		s.prev = map[string]docker.Usage{}
	}
	s.prev[id] = u
}

// forgetOthers drops the samples of containers that are gone, so that a
// long watch does not grow.
func (s *dockerSource) forgetOthers(ds []docker.Desktop) {
	keep := map[string]bool{}
	for _, d := range ds {
		keep[d.ContainerID] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.prev {
		if !keep[id] {
			delete(s.prev, id)
		}
	}
	for id := range s.cgroups {
		if !keep[id] {
			delete(s.cgroups, id)
		}
	}
}

func (s *dockerSource) close() {
	if c, ok := s.engine.(interface{ Close() error }); ok {
		_ = c.Close()
	}
	s.engine = nil
	s.mu.Lock()
	s.cgroups = nil
	s.mu.Unlock()
}

// sleep waits d, or less if ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
