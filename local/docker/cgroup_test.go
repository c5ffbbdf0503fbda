package docker

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// testID is the container ID that the trees under testdata/cgroup use.
const testID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func TestFindCgroupAndRead(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		pid     int
		want    Cgroup
		wantUse Usage
	}{
		{
			// This machine's layout: every v1 controller on its own mount, an
			// empty cgroup2 beside them.
			name: "v1",
			pid:  4242,
			want: Cgroup{
				Version:   1,
				CPUDir:    "sys/fs/cgroup/cpuacct/docker/" + testID,
				MemoryDir: "sys/fs/cgroup/memory/docker/" + testID,
			},
			// 50 MiB used less 20 MiB of inactive file cache; a 1 GiB limit.
			wantUse: Usage{Source: SourceCgroup, CPUTotal: 123456789012, Memory: 30 << 20, MemoryLimit: 1 << 30},
		},
		{
			// The systemd cgroup driver on a unified host; no limit set.
			name: "v2",
			pid:  777,
			want: Cgroup{
				Version:   2,
				CPUDir:    "sys/fs/cgroup/system.slice/docker-" + testID + ".scope",
				MemoryDir: "sys/fs/cgroup/system.slice/docker-" + testID + ".scope",
			},
			// 70 MiB used less 30 MiB of inactive file cache.
			wantUse: Usage{Source: SourceCgroup, CPUTotal: 2_500_000_000, Memory: 40 << 20},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := filepath.Join("testdata", "cgroup", tt.name)
			cg, err := findCgroup(root, testID, tt.pid)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.CPUDir = filepath.Join(root, want.CPUDir)
			want.MemoryDir = filepath.Join(root, want.MemoryDir)
			if diff := cmp.Diff(want, *cg); diff != "" {
				t.Errorf("cgroup (-want +got):\n%s", diff)
			}

			before := time.Now()
			u, err := cg.Read()
			if err != nil {
				t.Fatal(err)
			}
			if u.At.Before(before) {
				t.Errorf("sample taken at %s, before the read started at %s", u.At, before)
			}
			u.At = time.Time{}
			if diff := cmp.Diff(tt.wantUse, u); diff != "" {
				t.Errorf("usage (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindCgroupRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id string
		pid      int
		want     string
	}{
		{"another container's process", strings.Repeat("f", 64), 4242, "does not name the container"},
		{"no such process", testID, 99, "no such file"},
		{"no process", testID, 0, "has no process"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := findCgroup(filepath.Join("testdata", "cgroup", "v1"), tt.id, tt.pid)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

func TestLocate(t *testing.T) {
	t.Parallel()
	v1 := func(point, opts string) cgroupMount {
		return cgroupMount{root: "/", point: point, fsType: "cgroup", options: strings.Split(opts, ",")}
	}
	tests := []struct {
		name   string
		lines  string
		mounts []cgroupMount
		want   *Cgroup
	}{
		{
			// A container whose init system moved its first process into a
			// child cgroup (a Kind node): the container's own cgroup is read.
			name:  "v1 combined cpu,cpuacct, init scope",
			lines: "4:memory:/docker/ID/init.scope\n2:cpu,cpuacct:/docker/ID/init.scope\n0::/docker/ID/init.scope\n",
			mounts: []cgroupMount{
				v1("/sys/fs/cgroup/cpu,cpuacct", "rw,cpu,cpuacct"),
				v1("/sys/fs/cgroup/memory", "rw,memory"),
			},
			want: &Cgroup{Version: 1, CPUDir: "/sys/fs/cgroup/cpu,cpuacct/docker/ID",
				MemoryDir: "/sys/fs/cgroup/memory/docker/ID"},
		},
		{
			// A mount that shows only part of the hierarchy, as inside a
			// container with its own cgroup namespace.
			name:  "v2 mount of a subtree",
			lines: "0::/kubepods/pod1/ID\n",
			mounts: []cgroupMount{
				{root: "/kubepods", point: "/sys/fs/cgroup", fsType: "cgroup2", options: []string{"rw"}},
			},
			want: &Cgroup{Version: 2, CPUDir: "/sys/fs/cgroup/pod1/ID", MemoryDir: "/sys/fs/cgroup/pod1/ID"},
		},
		{
			name:   "v1 without a memory mount",
			lines:  "4:memory:/docker/ID\n2:cpuacct:/docker/ID\n",
			mounts: []cgroupMount{v1("/sys/fs/cgroup/cpuacct", "rw,cpuacct")},
		},
		{
			name:   "v2 path outside the mount",
			lines:  "0::/other/ID\n",
			mounts: []cgroupMount{{root: "/kubepods", point: "/sys/fs/cgroup", fsType: "cgroup2"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			lines, err := parseProcCgroup([]byte(tt.lines))
			if err != nil {
				t.Fatal(err)
			}
			got, err := locate("/", "ID", lines, tt.mounts)
			if tt.want == nil {
				if err == nil {
					t.Fatalf("located %+v, want an error", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseMountinfoUnescapes(t *testing.T) {
	t.Parallel()
	line := `41 31 0:38 /a\040b /sys/fs/cgroup/my\040cg rw - cgroup2 cgroup2 rw,nsdelegate` + "\n"
	got, err := parseMountinfo([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	want := []cgroupMount{{root: "/a b", point: "/sys/fs/cgroup/my cg", fsType: "cgroup2",
		options: []string{"rw", "nsdelegate"}}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(cgroupMount{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCPUPercentFromCgroup(t *testing.T) {
	t.Parallel()
	at := time.Now()
	prev := Usage{Source: SourceCgroup, At: at, CPUTotal: 1_000_000_000}
	cur := Usage{Source: SourceCgroup, At: at.Add(500 * time.Millisecond), CPUTotal: 1_250_000_000}
	if got := CPUPercent(prev, cur); got != 50 {
		t.Errorf("250 ms of CPU in 500 ms = %v%%, want 50%%", got)
	}
	engine := Usage{Source: SourceEngine, CPUTotal: 1, SystemTotal: 1, OnlineCPUs: 2}
	if got := CPUPercent(engine, cur); got != 0 {
		t.Errorf("samples of two sources gave %v%%, want 0", got)
	}
}

// FuzzParseProcCgroup feeds /proc/PID/cgroup's parser: it must not panic,
// and every line it accepts has an absolute path.
func FuzzParseProcCgroup(f *testing.F) {
	f.Add([]byte("4:memory:/docker/ID\n2:cpu,cpuacct:/docker/ID/init.scope\n0::/\n"))
	f.Add([]byte("0::/system.slice/docker-ID.scope\n"))
	f.Add([]byte("1:name=systemd:/a:b\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, err := parseProcCgroup(data)
		if err != nil {
			return
		}
		for _, l := range lines {
			if !strings.HasPrefix(l.path, "/") {
				t.Errorf("accepted relative path %q", l.path)
			}
		}
	})
}

// FuzzParseMountinfo feeds mountinfo's parser: it must not panic and keeps
// only cgroup mounts.
func FuzzParseMountinfo(f *testing.F) {
	f.Add([]byte("35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"))
	f.Add([]byte("26 23 0:24 / /sys/fs/cgroup rw shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"))
	f.Add([]byte(`41 31 0:38 /a\040b /x\1 rw - cgroup2 cgroup2 rw` + "\n"))
	f.Add([]byte("1 2 3 4 5 6 - x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		mounts, err := parseMountinfo(data)
		if err != nil {
			return
		}
		for _, m := range mounts {
			if m.fsType != "cgroup" && m.fsType != "cgroup2" {
				t.Errorf("kept a %q mount", m.fsType)
			}
		}
	})
}

// FuzzParseFlatKeyed feeds the parser of memory.stat and cpu.stat, and of
// one-value files: neither may panic.
func FuzzParseFlatKeyed(f *testing.F) {
	f.Add([]byte("usage_usec 2500000\nuser_usec 1\n"))
	f.Add([]byte("total_inactive_file 20971520\n  x  \n\n"))
	f.Add([]byte("max\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = parseFlatKeyed(data)
		_, _ = parseCgroupValue(data)
	})
}
