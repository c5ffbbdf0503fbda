package stats

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/mvm-dev/mvm/internal/state"
)

func TestPercentileIsNearestRank(t *testing.T) {
	t.Parallel()
	var ds []time.Duration
	for i := 1; i <= 20; i++ {
		ds = append(ds, time.Duration(i)*time.Second)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"p50 of 20", ds, 50, 10 * time.Second},
		{"p95 of 20", ds, 95, 19 * time.Second},
		{"p100 of 20", ds, 100, 20 * time.Second},
		{"p95 of one", ds[:1], 95, time.Second},
		{"none", nil, 50, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%d values, %g) = %s, want %s", len(tt.sorted), tt.p, got, tt.want)
			}
		})
	}
}

func TestSummariesLeaveOutReusesAndFilteredDesktops(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h := history{starts: []state.Start{
		{Target: "docker", Name: "a", At: at, Total: 0.5, Cold: true, Action: "created"},
		{Target: "docker", Name: "a", At: at, Total: 0.1, Action: "reused"},
		{Target: "docker", Name: "b", At: at, Total: 0.3, Action: "started"},
		// An old record without an action: its phases tell a warm start.
		{Target: "docker", Name: "b", At: at, Total: 0.2, Phases: []state.Phase{{Name: "start"}}},
		{Target: "kind", Name: "a", At: at, Total: 9, Cold: true},
		{Target: "docker", Name: "other", At: at, Total: 7, Cold: true},
	}}
	got := h.summaries(Filter{Names: []string{"a", "b"}})
	want := []StartSummary{
		{Target: "docker", Kind: "all", Count: 3, P50: 0.3, P95: 0.5},
		{Target: "docker", Kind: "cold", Count: 1, P50: 0.5, P95: 0.5},
		{Target: "docker", Kind: "warm", Count: 2, P50: 0.2, P95: 0.3},
		{Target: "kind", Kind: "all", Count: 1, P50: 9, P95: 9},
		{Target: "kind", Kind: "cold", Count: 1, P50: 9, P95: 9},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaries (-want +got):\n%s", diff)
	}

	ff := h.firstFrame("docker", "a")
	if ff == nil || ff.Seconds != 0.5 || !ff.Cold {
		t.Errorf("firstFrame skipped the reuse? got %+v, want the cold start of 0.5 s", ff)
	}
}

func TestFilter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		f            Filter
		target, desk string
		want         bool
	}{
		{"empty selects all", Filter{}, "gke", "x", true},
		{"target", Filter{Targets: []string{"kind"}}, "docker", "x", false},
		{"pattern", Filter{Names: []string{"dev-*"}}, "docker", "dev-2", true},
		{"pattern misses", Filter{Names: []string{"dev-*"}}, "docker", "dev", false},
		{"any of names", Filter{Names: []string{"a", "b"}}, "kind", "b", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.f.Match(tt.target, tt.desk); got != tt.want {
				t.Errorf("%+v.Match(%s, %s) = %t", tt.f, tt.target, tt.desk, got)
			}
		})
	}
	if err := (Filter{Targets: []string{"aws"}}).Check(); err == nil {
		t.Error("an unknown target passed the check")
	}
	if err := (Filter{Names: []string{"["}}).Check(); err == nil {
		t.Error("a malformed pattern passed the check")
	}
}
