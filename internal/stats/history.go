package stats

import (
	"math"
	"slices"
	"time"

	"github.com/mvm-dev/mvm/internal/state"
)

// Kinds of start.
const (
	cold = "cold"
	warm = "warm"
	// reuse is a desktop that was running already: mvm only probed it, so
	// its time says nothing about starting one.
	reuse = "reuse"
)

// startKind tells a cold start from a warm one and from a reuse. Records
// written before starts carried their action are told apart by their
// phases: only a start has a "create" or "start" phase.
func startKind(st state.Start) string {
	switch {
	case st.Cold || st.Action == "created" || st.Action == "recreated":
		return cold
	case st.Action == "started":
		return warm
	case st.Action != "":
		return reuse
	}
	for _, p := range st.Phases {
		if p.Name == "start" || p.Name == "create" {
			return warm
		}
	}
	return reuse
}

// history answers the questions a snapshot asks of the recorded starts.
type history struct {
	starts []state.Start
}

// firstFrame is the latest real start (not a reuse) of a desktop.
func (h history) firstFrame(target, name string) *FirstFrame {
	for i := len(h.starts) - 1; i >= 0; i-- {
		st := h.starts[i]
		if st.Target != target || st.Name != name {
			continue
		}
		if k := startKind(st); k != reuse {
			return &FirstFrame{At: st.At, Seconds: st.Total, Cold: k == cold}
		}
	}
	return nil
}

// summaries gives p50 and p95 per target, of all starts and of cold and
// warm ones apart, over the starts that match f.
func (h history) summaries(f Filter) []StartSummary {
	byKey := map[[2]string][]time.Duration{}
	for _, st := range h.starts {
		k := startKind(st)
		if k == reuse || !f.Match(st.Target, st.Name) {
			continue
		}
		d := st.Total.Duration()
		byKey[[2]string{st.Target, k}] = append(byKey[[2]string{st.Target, k}], d)
		byKey[[2]string{st.Target, "all"}] = append(byKey[[2]string{st.Target, "all"}], d)
	}

	var out []StartSummary
	for _, t := range Targets() {
		for _, k := range []string{"all", cold, warm} {
			if ds := byKey[[2]string{t, k}]; len(ds) > 0 {
				out = append(out, summarize(t, k, ds))
			}
		}
	}
	return out
}

func summarize(target, kind string, ds []time.Duration) StartSummary {
	slices.Sort(ds)
	return StartSummary{
		Target: target, Kind: kind, Count: len(ds),
		P50: state.AsSeconds(percentile(ds, 50)),
		P95: state.AsSeconds(percentile(ds, 95)),
	}
}

// percentile is the nearest-rank percentile of sorted durations: the
// smallest value that p percent of the values do not exceed.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}
