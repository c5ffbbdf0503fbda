package docker

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Sources of a [Usage].
const (
	// SourceEngine is the Engine API's one-shot stats.
	SourceEngine = "engine"
	// SourceCgroup is the container's cgroup files, read on this host.
	SourceCgroup = "cgroup"
)

// noLimit is where cgroup v1 puts a memory limit that was never set (the
// largest page-aligned int64); anything this large means no limit.
const noLimit = 1 << 62

// Cgroup is where a container's CPU time and memory can be read on this
// host without asking the engine. The engine's stats come from the same
// files, but Docker 20.10 answers a request only at its collector's next
// once-a-second round; reading the files takes microseconds.
type Cgroup struct {
	// Version is 1 or 2.
	Version int
	// CPUDir holds cpuacct.usage (v1) or cpu.stat (v2), and MemoryDir the
	// memory files; on v2 they are the same directory.
	CPUDir    string
	MemoryDir string
}

// FindCgroup finds the cgroup of the container with this ID from the PID
// of its first process (ContainerInspect's State.Pid). It fails when the
// files cannot be read here: a remote engine, an engine in a VM (Docker
// Desktop), another PID or cgroup namespace, or no permission. The PID is
// only trusted when its cgroup's path names the container, so a PID of
// another machine or namespace cannot point at an unrelated process.
func FindCgroup(id string, pid int) (*Cgroup, error) {
	return findCgroup("/", id, pid)
}

// findCgroup is FindCgroup below root, for tests.
func findCgroup(root, id string, pid int) (*Cgroup, error) {
	if pid <= 0 || id == "" {
		return nil, fmt.Errorf("container %s has no process", shortID(id))
	}
	procData, err := os.ReadFile(filepath.Join(root, "proc", strconv.Itoa(pid), "cgroup"))
	if err != nil {
		return nil, fmt.Errorf("find cgroup of %s: %w", shortID(id), err)
	}
	lines, err := parseProcCgroup(procData)
	if err != nil {
		return nil, fmt.Errorf("find cgroup of %s: %w", shortID(id), err)
	}
	mountData, err := os.ReadFile(filepath.Join(root, "proc", "self", "mountinfo"))
	if err != nil {
		return nil, fmt.Errorf("find cgroup of %s: %w", shortID(id), err)
	}
	mounts, err := parseMountinfo(mountData)
	if err != nil {
		return nil, fmt.Errorf("find cgroup of %s: %w", shortID(id), err)
	}

	cg, err := locate(root, id, lines, mounts)
	if err != nil {
		return nil, fmt.Errorf("find cgroup of %s: %w", shortID(id), err)
	}
	if _, err := cg.Read(); err != nil {
		return nil, err
	}
	return cg, nil
}

// locate prefers cgroup v1's memory and cpuacct controllers when the
// process has them: on a hybrid host the v2 hierarchy has no controllers.
func locate(root, id string, lines []cgroupLine, mounts []cgroupMount) (*Cgroup, error) {
	memory, okMem := v1Path(lines, "memory")
	cpu, okCPU := v1Path(lines, "cpuacct")
	if okMem && okCPU {
		memDir, err := hostDir(root, id, memory, mounts, "cgroup", "memory")
		if err != nil {
			return nil, err
		}
		cpuDir, err := hostDir(root, id, cpu, mounts, "cgroup", "cpuacct")
		if err != nil {
			return nil, err
		}
		return &Cgroup{Version: 1, CPUDir: cpuDir, MemoryDir: memDir}, nil
	}

	for _, l := range lines {
		if l.hierarchy == "0" && len(l.controllers) == 0 {
			dir, err := hostDir(root, id, l.path, mounts, "cgroup2", "")
			if err != nil {
				return nil, err
			}
			return &Cgroup{Version: 2, CPUDir: dir, MemoryDir: dir}, nil
		}
	}
	return nil, errors.New("the process is in neither a cgroup v1 memory and cpuacct hierarchy nor cgroup v2")
}

func v1Path(lines []cgroupLine, controller string) (string, bool) {
	for _, l := range lines {
		if slices.Contains(l.controllers, controller) {
			return l.path, true
		}
	}
	return "", false
}

// hostDir turns a cgroup path into a directory: cut after the element that
// names the container (cgroupfs: docker/ID; systemd: docker-ID.scope), since
// a container running an init system moves its first process into a child
// cgroup of its own, and joined to the mount that shows that part of the
// hierarchy.
func hostDir(root, id, path string, mounts []cgroupMount, fsType, controller string) (string, error) {
	elems := strings.Split(path, "/")
	i := slices.IndexFunc(elems, func(e string) bool { return strings.Contains(e, id) })
	if i < 0 {
		return "", fmt.Errorf("cgroup %s does not name the container: the engine's processes are not this host's", path)
	}
	path = strings.Join(elems[:i+1], "/")

	for _, m := range mounts {
		if m.fsType != fsType || controller != "" && !slices.Contains(m.options, controller) {
			continue
		}
		rel, ok := within(path, m.root)
		if ok {
			return filepath.Join(root, m.point, rel), nil
		}
	}
	return "", fmt.Errorf("no %s mount shows cgroup %s", cmp.Or(controller, fsType), path)
}

// within is path relative to the mount's root, when the mount shows it.
func within(path, mountRoot string) (string, bool) {
	if mountRoot == "/" {
		return path, true
	}
	if path == mountRoot {
		return "/", true
	}
	rel, ok := strings.CutPrefix(path, mountRoot+"/")
	return "/" + rel, ok
}

// Read samples the cgroup's CPU time and memory. The sample's CPU share
// against another one comes from the time between them (see [CPUPercent]);
// it has no network figures, which are not in the cgroup.
func (c *Cgroup) Read() (Usage, error) {
	u := Usage{At: time.Now(), Source: SourceCgroup}
	var err error
	if c.Version == 1 {
		err = c.readV1(&u)
	} else {
		err = c.readV2(&u)
	}
	if err != nil {
		return Usage{}, fmt.Errorf("read cgroup v%d: %w", c.Version, err)
	}
	return u, nil
}

func (c *Cgroup) readV1(u *Usage) error {
	cpu, err := readValue(c.CPUDir, "cpuacct.usage")
	if err != nil {
		return err
	}
	usage, err := readValue(c.MemoryDir, "memory.usage_in_bytes")
	if err != nil {
		return err
	}
	limit, err := readValue(c.MemoryDir, "memory.limit_in_bytes")
	if err != nil {
		return err
	}
	stat, err := os.ReadFile(filepath.Join(c.MemoryDir, "memory.stat"))
	if err != nil {
		return err
	}

	u.CPUTotal = cpu
	u.Memory = minusInactive(usage, parseFlatKeyed(stat), "total_inactive_file")
	u.MemoryLimit = limitOrZero(limit)
	return nil
}

func (c *Cgroup) readV2(u *Usage) error {
	cpuStat, err := os.ReadFile(filepath.Join(c.CPUDir, "cpu.stat"))
	if err != nil {
		return err
	}
	usec, ok := parseFlatKeyed(cpuStat)["usage_usec"]
	if !ok {
		return errors.New("cpu.stat has no usage_usec")
	}
	usage, err := readValue(c.MemoryDir, "memory.current")
	if err != nil {
		return err
	}
	limit, err := readValue(c.MemoryDir, "memory.max")
	if err != nil {
		return err
	}
	stat, err := os.ReadFile(filepath.Join(c.MemoryDir, "memory.stat"))
	if err != nil {
		return err
	}

	u.CPUTotal = usec * 1000
	u.Memory = minusInactive(usage, parseFlatKeyed(stat), "inactive_file")
	u.MemoryLimit = limitOrZero(limit)
	return nil
}

func readValue(dir, name string) (uint64, error) {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return 0, err
	}
	n, err := parseCgroupValue(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", filepath.Join(dir, name), err)
	}
	return n, nil
}

// minusInactive is the working set as `docker stats` shows it.
func minusInactive(usage uint64, stat map[string]uint64, key string) uint64 {
	if inactive := stat[key]; inactive < usage {
		return usage - inactive
	}
	return usage
}

// limitOrZero gives 0 (unknown) for a limit that was never set.
//
// TODO: the engine shows the host's memory as the limit of a container
// without one; mvm's desktops always have one, so this path leaves it out.
func limitOrZero(limit uint64) uint64 {
	if limit >= noLimit {
		return 0
	}
	return limit
}
