package stats

import "testing"

func TestAgentMetricsNeedTheAgentsGauge(t *testing.T) {
	t.Parallel()
	if _, err := parseAgentMetrics("node_load1 0.5\n"); err == nil {
		t.Error("metrics without mvm_agent_clients were taken for an agent's")
	}
	m, err := parseAgentMetrics("mvm_agent_clients 1\nmvm_agent_received_bytes_total NaN\n" +
		"mvm_agent_sent_bytes_total 1e30\nmvm_agent_start_time_seconds 1764800000.250\n")
	if err != nil {
		t.Fatal(err)
	}
	if m.Clients != 1 || m.RxBytes != 0 || m.TxBytes != 1<<62 || m.StartedAt.UnixMilli() != 1764800000250 {
		t.Errorf("parseAgentMetrics = %+v", m)
	}
}

// FuzzAgentMetrics feeds the agent's reader what a desktop, which is not
// trusted, may answer: it must never panic, and the figures it takes must
// not be negative.
func FuzzAgentMetrics(f *testing.F) {
	f.Add("mvm_agent_clients 1\nmvm_agent_sent_bytes_total 1e30\nmvm_agent_start_time_seconds 1764800000.250\n")
	f.Add("mvm_agent_clients -5\nmvm_agent_received_bytes_total NaN\n")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := parseAgentMetrics(text)
		if err == nil && m.Clients < 0 {
			t.Fatalf("negative clients %d from %q", m.Clients, text)
		}
	})
}
