package docker

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
)

// Usage is one sample of a container's resource use.
type Usage struct {
	At time.Time
	// Source is where the sample comes from: [SourceEngine] or
	// [SourceCgroup].
	Source string
	// CPUTotal is the CPU time used since the container started, and
	// SystemTotal the host's CPU time, both in nanoseconds; two samples give
	// the CPU share in between. OnlineCPUs is the host's CPU count. A
	// sample read from the cgroup has no SystemTotal: the time between two
	// samples stands in for it.
	CPUTotal    uint64
	SystemTotal uint64
	OnlineCPUs  uint32
	// Memory is the memory in use the way `docker stats` counts it: usage
	// minus the inactive file cache, which the kernel reclaims first.
	Memory      uint64
	MemoryLimit uint64
	// RxBytes and TxBytes are the container's network traffic; a sample
	// read from the cgroup has none.
	RxBytes uint64
	TxBytes uint64
	Pids    uint64
}

// Sample reads one sample of a container's usage without waiting for a
// second one, so many containers can be sampled at once.
func Sample(ctx context.Context, e interface {
	ContainerStatsOneShot(ctx context.Context, id string) (container.StatsResponseReader, error)
}, id string) (Usage, error) {
	r, err := e.ContainerStatsOneShot(ctx, id)
	if err != nil {
		return Usage{}, fmt.Errorf("read stats of %s: %w", shortID(id), err)
	}
	defer r.Body.Close()

	var s container.StatsResponse
	if err := json.NewDecoder(r.Body).Decode(&s); err != nil {
		return Usage{}, fmt.Errorf("decode stats of %s: %w", shortID(id), err)
	}
	return usageOf(s), nil
}

func usageOf(s container.StatsResponse) Usage {
	u := Usage{
		At:          s.Read,
		Source:      SourceEngine,
		CPUTotal:    s.CPUStats.CPUUsage.TotalUsage,
		SystemTotal: s.CPUStats.SystemUsage,
		OnlineCPUs:  s.CPUStats.OnlineCPUs,
		Memory:      workingSet(s.MemoryStats),
		MemoryLimit: s.MemoryStats.Limit,
		Pids:        s.PidsStats.Current,
	}
	for _, n := range s.Networks {
		u.RxBytes += n.RxBytes
		u.TxBytes += n.TxBytes
	}
	return u
}

// workingSet subtracts the inactive file cache as `docker stats` does: the
// key is total_inactive_file on cgroup v1 and inactive_file on v2.
func workingSet(m container.MemoryStats) uint64 {
	inactive, ok := m.Stats["total_inactive_file"]
	if !ok {
		inactive = m.Stats["inactive_file"]
	}
	if inactive > m.Usage {
		return m.Usage
	}
	return m.Usage - inactive
}

// CPUPercent is the CPU use between two samples, in percent of one CPU (so a
// desktop using two full CPUs shows 200%), as `docker stats` shows it.
// Samples from different sources cannot be compared and give 0.
func CPUPercent(prev, cur Usage) float64 {
	cpu := float64(cur.CPUTotal) - float64(prev.CPUTotal)
	if prev.Source != cur.Source {
		return 0
	}
	if cur.Source == SourceCgroup {
		wall := cur.At.Sub(prev.At).Nanoseconds()
		if cpu <= 0 || wall <= 0 {
			return 0
		}
		return cpu / float64(wall) * 100
	}
	sys := float64(cur.SystemTotal) - float64(prev.SystemTotal)
	if cpu <= 0 || sys <= 0 || cur.OnlineCPUs == 0 {
		return 0
	}
	return cpu / sys * float64(cur.OnlineCPUs) * 100
}

// shortID is the 12-character form of a container or image ID, as the
// docker CLI shows it.
func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
