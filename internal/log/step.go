package log

import (
	"fmt"
	"sync"
	"time"
)

// Step is one long operation shown to the user as a line that starts with •
// and ends with ✓ or ✗. On a capable terminal a spinner runs while it works.
type Step struct {
	l      *Logger
	title  string
	start  time.Time
	mu     sync.Mutex
	detail string
	done   chan struct{}
	ended  bool
}

// StartStep prints the step's title and starts its spinner on a terminal.
func (l *Logger) StartStep(title string) *Step {
	s := &Step{l: l, title: title, start: time.Now(), done: make(chan struct{})}
	if l.quiet {
		return s
	}
	if !l.fancy {
		l.println("• " + title + " …")
		return s
	}

	l.mu.Lock()
	l.live = s
	l.mu.Unlock()
	go s.spin()
	return s
}

// Update sets a short progress detail shown beside the spinner. Without a
// terminal it is shown only at V(1), so CI logs stay readable.
func (s *Step) Update(detail string) {
	s.mu.Lock()
	s.detail = detail
	s.mu.Unlock()

	if !s.l.fancy {
		s.l.V(1).Info("    " + detail)
	}
}

// Done ends the step with ✓ when err is nil and ✗ otherwise, with the time it
// took. Calling Done more than once prints nothing more.
func (s *Step) Done(err error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return
	}
	s.ended = true
	s.mu.Unlock()
	close(s.done)

	if s.l.quiet {
		return
	}

	s.l.mu.Lock()
	if s.l.live == s {
		s.l.live = nil
		fmt.Fprint(s.l.w, "\r\033[K")
	}
	s.l.mu.Unlock()

	took := formatDuration(time.Since(s.start))
	if err != nil {
		s.l.println(s.l.paint("31", "✗ ") + s.title + " (" + took + ")")
		return
	}
	s.l.println(s.l.paint("32", "✓ ") + s.title + " (" + took + ")")
}

// Elapsed is the time since the step started.
func (s *Step) Elapsed() time.Duration { return time.Since(s.start) }

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func (s *Step) spin() {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()

	for i := 0; ; i++ {
		s.mu.Lock()
		line := spinnerFrames[i%len(spinnerFrames)] + " " + s.title
		if s.detail != "" {
			line += " " + s.l.paint("2", s.detail)
		}
		s.mu.Unlock()

		s.l.mu.Lock()
		if s.l.live == s {
			fmt.Fprint(s.l.w, "\r\033[K"+line)
		}
		s.l.mu.Unlock()

		select {
		case <-s.done:
			return
		case <-t.C:
		}
	}
}

// formatDuration prints durations the way people read them: 340ms, 2.4s, 3m05s.
func formatDuration(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	default:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
}

// FormatDuration is the duration format of step lines, for callers that print
// phase timings in the same style.
func FormatDuration(d time.Duration) string { return formatDuration(d) }
