package state

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Start is the record of one desktop start: how long each phase took, from
// the first call to the target until the first frame.
type Start struct {
	Target string    `json:"target"`
	Name   string    `json:"name"`
	At     time.Time `json:"at"`
	// Phases are the phase durations in order, for example create, start,
	// agent up, VNC ready, first frame.
	Phases []Phase `json:"phases"`
	// Total is the time from the first phase's start to the first frame.
	Total Seconds `json:"total_s"`
	// Cold says that the desktop was created, not reused or restarted.
	Cold bool `json:"cold"`
	// Action says what the start did: "created", "recreated", "started" (a
	// stopped desktop) or "reused" (a running desktop that was only probed,
	// so its time is no start time). Records written before it was kept
	// have none.
	Action string `json:"action,omitempty"`
}

// Phase is one named step of a start.
type Phase struct {
	Name     string  `json:"name"`
	Duration Seconds `json:"s"`
}

// Seconds is a duration written as fractional seconds in JSON.
type Seconds float64

// Duration converts back to a time.Duration.
func (s Seconds) Duration() time.Duration { return time.Duration(float64(s) * float64(time.Second)) }

// AsSeconds converts a duration, rounded to the millisecond.
func AsSeconds(d time.Duration) Seconds { return Seconds(d.Round(time.Millisecond).Seconds()) }

func (s Store) historyPath() string { return filepath.Join(s.Dir, "starts.jsonl") }

// maxHistory bounds the history file; older starts are dropped on append.
const maxHistory = 5000

// AppendStart adds a start to the history.
func (s Store) AppendStart(st Start) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(s.historyPath(), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("record start: %w", err)
	}
	_, err = f.Write(append(b, '\n'))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record start: %w", err)
	}
	return s.trimHistory()
}

// Starts returns the recorded starts, oldest first. Lines that do not parse
// (a crash mid-write) are skipped.
func (s Store) Starts() ([]Start, error) {
	f, err := os.Open(s.historyPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read start history: %w", err)
	}
	defer f.Close()

	var out []Start
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		var st Start
		if json.Unmarshal(sc.Bytes(), &st) == nil {
			out = append(out, st)
		}
	}
	return out, sc.Err()
}

func (s Store) trimHistory() error {
	starts, err := s.Starts()
	if err != nil || len(starts) <= maxHistory {
		return err
	}
	var b []byte
	for _, st := range starts[len(starts)-maxHistory:] {
		line, _ := json.Marshal(st)
		b = append(append(b, line...), '\n')
	}
	return writePrivate(s.historyPath(), b)
}
