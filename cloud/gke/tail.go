package gke

import (
	"strings"
	"sync"
)

// tailLines is how many of terraform's last lines a failure shows.
const tailLines = 40

// tail keeps the last lines written to it. terraform's stdout and stderr
// both write to it, from two goroutines.
type tail struct {
	mu      sync.Mutex
	max     int
	lines   []string
	partial string
}

func newTail(max int) *tail {
	return &tail{max: max}
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()

	text := t.partial + string(p)
	parts := strings.Split(text, "\n")
	t.partial = parts[len(parts)-1]
	t.lines = append(t.lines, parts[:len(parts)-1]...)
	if over := len(t.lines) - t.max; over > 0 {
		t.lines = append(t.lines[:0], t.lines[over:]...)
	}
	return len(p), nil
}

// String returns the kept lines, with a last unfinished line if any.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()

	lines := t.lines
	if t.partial != "" {
		lines = append(lines[:len(lines):len(lines)], t.partial)
	}
	return strings.Join(lines, "\n")
}

func (t *tail) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()

	t.lines = t.lines[:0]
	t.partial = ""
}
