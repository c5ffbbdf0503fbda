package stats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/mvm-dev/mvm/internal/stats/promtext"
)

// AgentMetrics are the figures a desktop's agent serves on /metrics.
type AgentMetrics struct {
	Clients int64
	// RxBytes went from browsers to the desktop, TxBytes the other way.
	RxBytes, TxBytes uint64
	// StartedAt is when the agent, the desktop's first process, started.
	StartedAt time.Time
}

// maxMetricsSize bounds what is read from an agent: its metrics are about
// 2 KiB, and a desktop is not trusted to stay small.
const maxMetricsSize = 1 << 20

// errNotAgent means the answer was Prometheus text, but not an mvm agent's.
var errNotAgent = errors.New("the answer has no mvm_agent_clients: not an mvm agent")

// parseAgentMetrics picks the agent's figures out of its /metrics text.
func parseAgentMetrics(text string) (AgentMetrics, error) {
	samples, err := promtext.Parse(text)
	if err != nil {
		return AgentMetrics{}, err
	}

	var m AgentMetrics
	found := false
	for _, s := range samples {
		switch s.Name {
		case "mvm_agent_clients":
			m.Clients, found = int64(nonNegative(s.Value)), true
		case "mvm_agent_received_bytes_total":
			m.RxBytes = uint64(nonNegative(s.Value))
		case "mvm_agent_sent_bytes_total":
			m.TxBytes = uint64(nonNegative(s.Value))
		case "mvm_agent_start_time_seconds":
			m.StartedAt = unixSeconds(s.Value)
		}
	}
	if !found {
		return AgentMetrics{}, errNotAgent
	}
	return m, nil
}

// nonNegative turns NaN and negative values, which no counter of the agent
// can have, into 0, and caps values at 2^62, which converts exactly to both
// int64 and uint64 (2^63-1 would round up to 2^63 and overflow int64).
func nonNegative(v float64) float64 {
	switch {
	case !(v > 0):
		return 0
	case v >= 1<<62:
		return 1 << 62
	}
	return v
}

func unixSeconds(v float64) time.Time {
	if !(v > 0) || v > 1e11 {
		return time.Time{}
	}
	sec := int64(v)
	return time.Unix(sec, int64((v-float64(sec))*1e9)).UTC()
}

// getAgentMetrics reads a desktop's /metrics at base (its http:// URL)
// with its token.
func getAgentMetrics(ctx context.Context, c *http.Client, base, token string) (AgentMetrics, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(base, "/")+"/metrics", nil)
	if err != nil {
		return AgentMetrics{}, err
	}
	req.Header.Set("Authorization", "Bearer "+token)

	resp, err := c.Do(req)
	if err != nil {
		return AgentMetrics{}, fmt.Errorf("read the agent's metrics: %w", err)
	}
	defer resp.Body.Close()
	body, err := readBody(resp)
	if err != nil {
		return AgentMetrics{}, err
	}
	return parseAgentMetrics(body)
}

// readBody reads a bounded answer of an agent, or says which status it
// refused with.
func readBody(resp *http.Response) (string, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMetricsSize))
	if err != nil {
		return "", fmt.Errorf("read the agent's metrics: %w", err)
	}
	switch resp.StatusCode {
	case http.StatusOK:
		return string(b), nil
	case http.StatusUnauthorized, http.StatusForbidden:
		return "", fmt.Errorf("the agent refused the recorded token (HTTP %d)", resp.StatusCode)
	}
	return "", fmt.Errorf("the agent's metrics: HTTP %d %s", resp.StatusCode, firstLine(string(b)))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}

// newAgentClient is the HTTP client for agents: it keeps one idle
// connection per desktop, so that a watch does not dial every desktop anew
// on each refresh.
func newAgentClient() *http.Client {
	return &http.Client{
		Timeout: 5 * time.Second,
		Transport: &http.Transport{
			MaxIdleConns:        1024,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     2 * time.Minute,
		},
		// The agent redirects a token given in the URL; the Bearer header
		// is never redirected, and following a redirect could only lose it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
