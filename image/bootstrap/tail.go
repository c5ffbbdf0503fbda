package bootstrap

import (
	"strings"
	"sync"
)

// tailWriter keeps the last lines written to it, to show what a failed
// subprocess said last.
type tailWriter struct {
	mu      sync.Mutex
	max     int
	lines   []string
	partial string
}

func newTailWriter(max int) *tailWriter { return &tailWriter{max: max} }

func (t *tailWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	parts := strings.Split(t.partial+string(p), "\n")
	t.partial = parts[len(parts)-1]
	for _, l := range parts[:len(parts)-1] {
		t.lines = append(t.lines, strings.TrimRight(l, "\r"))
	}
	if over := len(t.lines) - t.max; over > 0 {
		t.lines = append(t.lines[:0], t.lines[over:]...)
	}
	return len(p), nil
}

// String returns the kept lines, the unfinished last one included.
func (t *tailWriter) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()

	all := t.lines
	if t.partial != "" {
		all = append(append([]string(nil), all...), t.partial)
	}
	if over := len(all) - t.max; over > 0 {
		all = all[over:]
	}
	return strings.Join(all, "\n")
}
