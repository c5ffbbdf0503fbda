package docker

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// cgroupLine is one line of /proc/PID/cgroup: the process's place in one
// hierarchy. A cgroup v2 line has hierarchy 0 and no controllers.
type cgroupLine struct {
	hierarchy   string
	controllers []string
	path        string
}

// parseProcCgroup reads /proc/PID/cgroup ("ID:CONTROLLERS:PATH" per line).
// The path is taken as it is, colons and all, since a path may hold them.
func parseProcCgroup(data []byte) ([]cgroupLine, error) {
	var out []cgroupLine
	for line := range strings.Lines(string(data)) {
		line = strings.TrimRight(line, "\n")
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 || !strings.HasPrefix(parts[2], "/") {
			return nil, fmt.Errorf("malformed cgroup line %q", line)
		}
		l := cgroupLine{hierarchy: parts[0], path: parts[2]}
		if parts[1] != "" {
			l.controllers = strings.Split(parts[1], ",")
		}
		out = append(out, l)
	}
	return out, nil
}

// cgroupMount is one cgroup file system from /proc/self/mountinfo: where it is
// mounted, which part of its hierarchy it shows there, and its options.
type cgroupMount struct {
	root    string
	point   string
	fsType  string
	options []string
}

// parseMountinfo reads the cgroup and cgroup2 mounts of
// /proc/self/mountinfo (see proc(5)) and skips every other one.
func parseMountinfo(data []byte) ([]cgroupMount, error) {
	var out []cgroupMount
	s := bufio.NewScanner(bytes.NewReader(data))
	s.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for s.Scan() {
		fields := strings.Fields(s.Text())
		sep := -1
		for i, f := range fields {
			if f == "-" && i >= 6 {
				sep = i
				break
			}
		}
		if len(fields) == 0 {
			continue
		}
		if sep < 0 || len(fields) < sep+4 {
			return nil, fmt.Errorf("malformed mountinfo line %q", s.Text())
		}
		fsType := fields[sep+1]
		if fsType != "cgroup" && fsType != "cgroup2" {
			continue
		}
		out = append(out, cgroupMount{
			root:    unescapeMount(fields[3]),
			point:   unescapeMount(fields[4]),
			fsType:  fsType,
			options: strings.Split(fields[sep+3], ","),
		})
	}
	if err := s.Err(); err != nil {
		return nil, fmt.Errorf("read mountinfo: %w", err)
	}
	return out, nil
}

// unescapeMount undoes the octal escapes (\040 for a space) that the kernel
// writes into mountinfo's paths.
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+4 <= len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// parseFlatKeyed reads a "KEY VALUE" per line file such as memory.stat or
// cpu.stat. Lines that do not have that form are skipped: the kernel adds
// keys over time, and only a few are read.
func parseFlatKeyed(data []byte) map[string]uint64 {
	out := map[string]uint64{}
	for line := range strings.Lines(string(data)) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
		if err == nil {
			out[k] = n
		}
	}
	return out
}

// parseCgroupValue reads a file holding one number, or "max" for no limit
// (which comes back as 0).
func parseCgroupValue(data []byte) (uint64, error) {
	s := strings.TrimSpace(string(data))
	if s == "max" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("not a number: %q", s)
	}
	return n, nil
}
