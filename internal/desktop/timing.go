package desktop

import (
	"fmt"
	"strings"
	"time"

	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
)

// Timer records the phases of a start as they end.
type Timer struct {
	start  time.Time
	last   time.Time
	phases []state.Phase
}

// NewTimer starts timing now.
func NewTimer() *Timer {
	now := time.Now()
	return &Timer{start: now, last: now}
}

// Mark ends the current phase at time at (zero means now) and names it.
func (t *Timer) Mark(name string, at time.Time) {
	if at.IsZero() {
		at = time.Now()
	}
	t.phases = append(t.phases, state.Phase{Name: name, Duration: state.AsSeconds(at.Sub(t.last))})
	t.last = at
}

// Phases returns the phases so far.
func (t *Timer) Phases() []state.Phase { return t.phases }

// Total is the time from the timer's start to the end of the last phase.
func (t *Timer) Total() time.Duration { return t.last.Sub(t.start) }

// Record is the history entry for this start.
func (t *Timer) Record(target, name string, cold bool) state.Start {
	return state.Start{
		Target: target, Name: name, At: t.start.UTC(),
		Phases: t.phases, Total: state.AsSeconds(t.Total()), Cold: cold,
	}
}

// Summary renders the phases on one line:
// "create 41ms · start 160ms · agent up 12ms · … = 0.31s".
func (t *Timer) Summary() string {
	parts := make([]string, 0, len(t.phases))
	for _, p := range t.phases {
		parts = append(parts, fmt.Sprintf("%s %s", p.Name, log.FormatDuration(p.Duration.Duration())))
	}
	return strings.Join(parts, " · ") + " = " + log.FormatDuration(t.Total())
}
