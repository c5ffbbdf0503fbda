package agent

import (
	"fmt"
	"io"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Metrics are the agent's counters, served as Prometheus text on /metrics.
type Metrics struct {
	start time.Time

	clients     atomic.Int64
	connections atomic.Int64
	authFailed  atomic.Int64
	bytesToVNC  atomic.Int64
	bytesToWeb  atomic.Int64

	mu       sync.Mutex
	restarts map[string]int64
	phases   map[string]time.Duration
}

// NewMetrics returns metrics whose phase times count from start, the moment
// the agent process began.
func NewMetrics(start time.Time) *Metrics {
	return &Metrics{start: start, restarts: map[string]int64{}, phases: map[string]time.Duration{}}
}

func (m *Metrics) restart(child string) {
	m.mu.Lock()
	m.restarts[child]++
	m.mu.Unlock()
}

// phase records when a start phase was first reached; later repeats (a
// restarted Xvnc) do not overwrite the cold-start figure.
func (m *Metrics) phase(name string, at time.Time) time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()

	if d, ok := m.phases[name]; ok {
		return d
	}
	d := at.Sub(m.start)
	m.phases[name] = d
	return d
}

// WriteTo writes the metrics in the Prometheus text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}

	gauge(cw, "mvm_agent_clients", "WebSocket clients connected now.", m.clients.Load())
	counter(cw, "mvm_agent_connections_total", "WebSocket connections accepted.", m.connections.Load())
	counter(cw, "mvm_agent_auth_failures_total", "Requests refused for a missing or wrong token.", m.authFailed.Load())
	counter(cw, "mvm_agent_received_bytes_total", "Bytes from browsers to the VNC server.", m.bytesToVNC.Load())
	counter(cw, "mvm_agent_sent_bytes_total", "Bytes from the VNC server to browsers.", m.bytesToWeb.Load())
	gaugeF(cw, "mvm_agent_start_time_seconds", "Unix time the agent started.", float64(m.start.UnixNano())/1e9)

	m.mu.Lock()
	defer m.mu.Unlock()

	fmt.Fprintf(cw, "# HELP mvm_agent_child_restarts_total Restarts of a supervised program.\n")
	fmt.Fprintf(cw, "# TYPE mvm_agent_child_restarts_total counter\n")
	for _, k := range sortedKeys(m.restarts) {
		fmt.Fprintf(cw, "mvm_agent_child_restarts_total{child=%q} %d\n", k, m.restarts[k])
	}
	fmt.Fprintf(cw, "# HELP mvm_agent_start_phase_seconds Time from agent start to each start phase.\n")
	fmt.Fprintf(cw, "# TYPE mvm_agent_start_phase_seconds gauge\n")
	for _, k := range sortedKeys(m.phases) {
		fmt.Fprintf(cw, "mvm_agent_start_phase_seconds{phase=%q} %g\n", k, m.phases[k].Seconds())
	}
	return cw.n, cw.err
}

func counter(w io.Writer, name, help string, v int64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s counter\n%s %d\n", name, help, name, name, v)
}

func gauge(w io.Writer, name, help string, v int64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %d\n", name, help, name, name, v)
}

func gaugeF(w io.Writer, name, help string, v float64) {
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n%s %.3f\n", name, help, name, name, v)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
	return n, err
}
