package kind

import (
	"strings"
	"testing"

	"github.com/mvm-dev/mvm/local/cluster"
)

func TestNewChecksTheName(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"mvm", "team-1", "a.b", "x"} {
		c, err := New(ok, nil)
		if err != nil || c.Context() != "kind-"+ok {
			t.Errorf("New(%q) = %v, %v", ok, c, err)
		}
	}
	for _, bad := range []string{"", "MVM", "a_b", "-a", "a-", strings.Repeat("a", 51)} {
		if _, err := New(bad, nil); err == nil || !strings.Contains(err.Error(), "invalid Kind cluster name") {
			t.Errorf("New(%q): error %v, want an invalid name", bad, err)
		}
	}
}

func TestPortMappingsStayOnLoopback(t *testing.T) {
	t.Parallel()
	m := portMappings()
	if len(m) != cluster.NodePorts {
		t.Fatalf("%d mappings, want %d", len(m), cluster.NodePorts)
	}
	for i, pm := range m {
		if pm.ListenAddress != "127.0.0.1" || pm.HostPort != 0 || pm.ContainerPort != cluster.FirstNodePort+int32(i) {
			t.Errorf("mapping %d = %+v, want node port %d on a free port of 127.0.0.1",
				i, pm, cluster.FirstNodePort+int32(i))
		}
	}
}
