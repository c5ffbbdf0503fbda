package stats

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/docker/go-units"
)

// WriteTable writes a snapshot for people: one line per desktop and per
// unreachable target, the notes that explain missing figures, and the
// recorded times to first frame per target.
func WriteTable(w io.Writer, s *Snapshot) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTARGET\tSTATE\tCPU %\tMEM USED / LIMIT\tNET RX / TX\tCLIENTS\tUPTIME\tFIRST FRAME")
	for _, r := range s.Desktops {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, where(r.Target, r.Context), r.State,
			cpuText(r.CPUPercent), pairText(r.MemoryBytes, r.MemoryLimitBytes, units.BytesSize),
			pairText(r.RxBytes, r.TxBytes, units.HumanSize), intText(r.Clients), uptimeText(r.UptimeSeconds),
			firstFrameText(r.FirstFrame))
	}
	// The reason is the line's last cell, so it does not widen the columns.
	for _, u := range s.Unreachable {
		fmt.Fprintf(tw, "-\t%s\tunreachable\t%s\n", where(u.Target, u.Context), oneLine(u.Reason))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if err := writeNotes(w, s.Desktops); err != nil {
		return err
	}
	return writeStarts(w, s.Starts)
}

func writeNotes(w io.Writer, rows []Row) error {
	for _, r := range rows {
		if r.Note == "" {
			continue
		}
		_, err := fmt.Fprintf(w, "  %s on %s: %s\n", r.Name, where(r.Target, r.Context), oneLine(r.Note))
		if err != nil {
			return err
		}
	}
	return nil
}

func writeStarts(w io.Writer, starts []StartSummary) error {
	if len(starts) == 0 {
		return nil
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME TO FIRST FRAME\tSTARTS\tP50\tP95")
	for _, st := range starts {
		fmt.Fprintf(tw, "%s %s\t%d\t%s\t%s\n", st.Target, st.Kind, st.Count,
			secondsText(float64(st.P50)), secondsText(float64(st.P95)))
	}
	return tw.Flush()
}

func where(target, kubeContext string) string {
	if kubeContext == "" {
		return target
	}
	return target + " (" + kubeContext + ")"
}

func cpuText(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p)
}

func pairText(a, b *uint64, format func(float64) string) string {
	one := func(v *uint64) string {
		if v == nil {
			return "-"
		}
		return format(float64(*v))
	}
	if a == nil && b == nil {
		return "-"
	}
	return one(a) + " / " + one(b)
}

func intText(v *int64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprint(*v)
}

// uptimeText is compact like `kubectl get`'s AGE: 42s, 5m12s, 3h05m, 2d3h.
func uptimeText(s *float64) string {
	if s == nil {
		return "-"
	}
	d := time.Duration(*s) * time.Second
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
}

func firstFrameText(f *FirstFrame) string {
	if f == nil {
		return "-"
	}
	kind := warm
	if f.Cold {
		kind = cold
	}
	return secondsText(float64(f.Seconds)) + " " + kind
}

func secondsText(s float64) string {
	if s < 10 {
		return fmt.Sprintf("%.2fs", s)
	}
	return fmt.Sprintf("%.1fs", s)
}

// oneLine keeps a table line a line: engines' errors may span several.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
