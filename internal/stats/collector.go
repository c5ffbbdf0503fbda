package stats

import (
	"cmp"
	"context"
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mvm-dev/mvm/internal/state"
)

// Options configure a [Collector].
type Options struct {
	// Store holds the recorded desktops, their tokens and the start history.
	Store state.Store
	// Filter selects the desktops to show.
	Filter Filter
	// Docker connects to the Docker Engine; nil leaves Docker out.
	Docker DockerConnector
	// Kube connects to a cluster by kube context; nil leaves Kind, Minikube
	// and GKE out.
	Kube KubeConnector
	// CPUWindow is how long the first refresh waits between the two samples
	// that a CPU share needs: 500 ms when zero. Later refreshes use the
	// previous one's samples and do not wait.
	CPUWindow time.Duration
	// Timeout bounds the reading of each target: 5 s when zero. A target
	// that takes longer is reported unreachable.
	Timeout time.Duration
}

// Collector gathers a [Snapshot] of every selected desktop on each
// [Collector.Collect]. It keeps connections and samples between refreshes,
// so a watch costs the engines and the desktops little. It is not safe for
// concurrent Collect calls.
type Collector struct {
	o      Options
	agent  *http.Client
	docker *dockerSource
	kube   map[kubeKey]*kubeSource
}

// NewCollector returns a collector; it connects to nothing until the first
// Collect.
func NewCollector(o Options) *Collector {
	if o.CPUWindow == 0 {
		o.CPUWindow = 500 * time.Millisecond
	}
	if o.Timeout == 0 {
		o.Timeout = 5 * time.Second
	}
	c := &Collector{o: o, agent: newAgentClient(), kube: map[kubeKey]*kubeSource{}}
	if o.Docker != nil {
		c.docker = &dockerSource{connect: o.Docker}
	}
	return c
}

// Collect reads every selected desktop on every target at once. A target
// that cannot be read becomes an entry of Snapshot.Unreachable; only an
// unreadable state directory or the end of ctx fail the collection.
func (c *Collector) Collect(ctx context.Context) (*Snapshot, error) {
	start := time.Now()
	r, err := c.newRefresh(start)
	if err != nil {
		return nil, err
	}

	sources := c.sources(r)
	parts := make([]part, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() {
			sctx, cancel := context.WithTimeout(ctx, c.o.Timeout+r.window)
			defer cancel()
			parts[i] = src.collect(sctx, r)
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.assemble(r, parts, start), nil
}

// source is one target to read: the Docker Engine or one cluster.
type source interface {
	collect(ctx context.Context, r *refresh) part
}

// part is what one source saw.
type part struct {
	rows        []Row
	unreachable []Unreachable
}

func unreachablePart(target, kubeContext string, err error) part {
	return part{unreachable: []Unreachable{{Target: target, Context: kubeContext, Reason: err.Error()}}}
}

func (c *Collector) newRefresh(now time.Time) (*refresh, error) {
	recs, err := c.o.Store.Desktops("")
	if err != nil {
		return nil, err
	}
	starts, err := c.o.Store.Starts()
	if err != nil {
		return nil, err
	}
	r := &refresh{
		now: now, filter: c.o.Filter, agent: c.agent, window: c.o.CPUWindow,
		records: map[recordKey]state.Desktop{}, history: history{starts: starts},
	}
	for _, d := range recs {
		if c.o.Filter.Match(d.Target, d.Name) {
			r.records[recordKey{d.Target, d.Name}] = d
		}
	}
	return r, nil
}

// sources are Docker, when it is wanted, and one source per cluster that
// holds a recorded desktop.
func (c *Collector) sources(r *refresh) []source {
	var out []source
	if c.docker != nil && r.filter.WantsTarget("docker") {
		out = append(out, c.docker)
	}
	if c.o.Kube == nil {
		return out
	}
	for _, key := range r.clusters() {
		src := c.kube[key]
		if src == nil {
			src = &kubeSource{key: key, connect: c.o.Kube}
			c.kube[key] = src
		}
		out = append(out, src)
	}
	return out
}

func (c *Collector) assemble(r *refresh, parts []part, start time.Time) *Snapshot {
	s := &Snapshot{Time: start.UTC(), Desktops: []Row{}, Unreachable: []Unreachable{}, queried: len(parts)}
	for _, p := range parts {
		s.Desktops = append(s.Desktops, p.rows...)
		s.Unreachable = append(s.Unreachable, p.unreachable...)
	}
	for i := range s.Desktops {
		row := &s.Desktops[i]
		row.FirstFrame = r.history.firstFrame(row.Target, row.Name)
		if !row.StartedAt.IsZero() {
			up := math.Round(max(0, start.Sub(row.StartedAt).Seconds()))
			row.UptimeSeconds = &up
		}
	}
	slices.SortFunc(s.Desktops, func(a, b Row) int {
		return cmp.Or(targetOrder(a.Target)-targetOrder(b.Target), cmp.Compare(a.Context, b.Context),
			cmp.Compare(a.Name, b.Name))
	})
	slices.SortFunc(s.Unreachable, func(a, b Unreachable) int {
		return cmp.Or(targetOrder(a.Target)-targetOrder(b.Target), cmp.Compare(a.Context, b.Context))
	})
	s.Starts = r.history.summaries(r.filter)
	if s.Starts == nil {
		s.Starts = []StartSummary{}
	}
	// Rounded to the millisecond in decimal, so that JSON shows 0.412, not
	// 0.41200000000000003.
	s.Took = state.Seconds(math.Round(time.Since(start).Seconds()*1000) / 1000)
	return s
}

func targetOrder(t string) int {
	if i := slices.Index(Targets(), t); i >= 0 {
		return i
	}
	return len(Targets())
}

// Close releases the connections the collector keeps.
func (c *Collector) Close() {
	if c.docker != nil {
		c.docker.close()
	}
	c.agent.CloseIdleConnections()
}

// recordKey identifies a recorded desktop.
type recordKey struct{ target, name string }

// refresh is what every source of one Collect shares.
type refresh struct {
	now     time.Time
	filter  Filter
	agent   *http.Client
	window  time.Duration
	records map[recordKey]state.Desktop
	history history
}

// maxParallel bounds the desktops read at once per source. It is well
// above the desktops a machine runs: Docker answers every one-shot stats
// request pending at its collector's once-a-second tick together, so a
// request held back behind the bound would wait a whole second more.
const maxParallel = 256

// each runs f for 0..n-1, up to maxParallel at a time.
func (r *refresh) each(n int, f func(i int)) {
	sem := make(chan struct{}, maxParallel)
	var wg sync.WaitGroup
	for i := range n {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			f(i)
		})
	}
	wg.Wait()
}

// missing are rows for the desktops recorded on a target (and kube context)
// that the target no longer has.
func (r *refresh) missing(target, kubeContext string, seen map[string]bool) []Row {
	var out []Row
	for k, d := range r.records {
		if k.target == target && d.Context == kubeContext && !seen[k.name] {
			out = append(out, Row{Name: k.name, Target: target, Context: kubeContext, State: "missing",
				Note: "recorded by mvm but not found on " + target})
		}
	}
	return out
}

// agentFigures fills the agent's figures of a desktop into row, read with
// its recorded token, and returns why they are missing, if they are.
func (r *refresh) agentFigures(ctx context.Context, name string,
	get func(ctx context.Context, token string) (AgentMetrics, error), row *Row,
) string {
	rec, ok := r.records[recordKey{row.Target, name}]
	if !ok || rec.Token == "" {
		return "no token recorded, so no clients or traffic: start it with mvm again"
	}
	m, err := get(ctx, rec.Token)
	if err != nil {
		return err.Error()
	}
	fillAgent(row, m)
	return ""
}

func fillAgent(row *Row, m AgentMetrics) {
	row.Clients = &m.Clients
	row.RxBytes = &m.RxBytes
	row.TxBytes = &m.TxBytes
	if !m.StartedAt.IsZero() {
		row.StartedAt = m.StartedAt
	}
}

func names(rows []Row) map[string]bool {
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[r.Name] = true
	}
	return out
}

func joinNotes(notes ...string) string {
	var kept []string
	for _, n := range notes {
		if n != "" {
			kept = append(kept, n)
		}
	}
	return strings.Join(kept, "; ")
}
