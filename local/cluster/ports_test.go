package cluster

import (
	"strings"
	"testing"
)

func TestChoosePort(t *testing.T) {
	t.Parallel()
	published := map[int32]string{30680: "127.0.0.1:1", 30681: "127.0.0.1:2", 30682: "127.0.0.1:3"}
	tests := []struct {
		name    string
		used    map[int32]string
		want    int32
		wantErr string
	}{
		{"none used", nil, 30680, ""},
		{"keeps its own", map[int32]string{30680: "mvm/a", 30682: "mvm/dev"}, 30682, ""},
		{"lowest free", map[int32]string{30680: "mvm/a"}, 30681, ""},
		{"a port outside the range does not count", map[int32]string{31000: "mvm/x"}, 30680, ""},
		{"all taken", map[int32]string{30680: "mvm/a", 30681: "mvm/b", 30682: "other/c"}, 0,
			"all 3 desktop ports of the cluster are taken (by mvm/a, mvm/b, other/c)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := choosePort("mvm/dev", published, tt.used)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("choosePort: error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("choosePort = %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}
