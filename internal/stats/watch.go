package stats

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
)

// WatchOptions configure [Watch].
type WatchOptions struct {
	// Interval is the time between the starts of two refreshes.
	Interval time.Duration
	// JSON writes one snapshot per line (JSON Lines) instead of tables.
	JSON bool
	// InPlace redraws the table in place on a terminal, in its alternate
	// screen, instead of appending a table per refresh.
	InPlace bool
}

// Watch collects and writes a snapshot every interval until ctx ends,
// which is the normal way out and not an error.
func Watch(ctx context.Context, c *Collector, w io.Writer, o WatchOptions) error {
	if o.InPlace && !o.JSON {
		// The alternate screen, without a cursor, and a word while the
		// first refresh takes its two samples.
		io.WriteString(w, "\x1b[?1049h\x1b[?25l\x1b[HReading the desktops …")
		defer io.WriteString(w, "\x1b[?25h\x1b[?1049l")
	}

	tick := time.NewTicker(o.Interval)
	defer tick.Stop()
	for {
		s, err := c.Collect(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if err := writeFrame(w, s, o); err != nil {
			return err
		}

		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

func writeFrame(w io.Writer, s *Snapshot, o WatchOptions) error {
	if o.JSON {
		return json.NewEncoder(w).Encode(s)
	}

	var b bytes.Buffer
	fmt.Fprintf(&b, "%s  every %s, refresh took %s  (Ctrl-C to quit)\n\n",
		s.Time.Local().Format("15:04:05"), o.Interval, secondsText(float64(s.Took)))
	if err := WriteTable(&b, s); err != nil {
		return err
	}
	if !o.InPlace {
		b.WriteString("\n")
		_, err := w.Write(b.Bytes())
		return err
	}

	// Home, then each line cleared to its end, then the rest of the screen:
	// the frame replaces the last one without a flash of blank screen.
	//
	// TODO: rows beyond the terminal's height scroll off, and there are no
	// keys to sort or filter as in k9s; a TUI library (bubbletea) would
	// bring both, but is not in the module cache of this project yet.
	frame := "\x1b[H" + strings.ReplaceAll(b.String(), "\n", "\x1b[K\n") + "\x1b[J"
	_, err := io.WriteString(w, frame)
	return err
}
