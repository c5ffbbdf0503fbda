package gke

import (
	"testing"
)

func TestBackendConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target Target
	}{
		{
			name:   "local",
			target: Target{Project: "mvm-example", Region: "europe-west1", Name: "mvm"},
		},
		{
			name:   "gcs",
			target: Target{Project: "mvm-example", Region: "europe-west1", Name: "demo", StateBucket: "example-tfstate"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			golden(t, "backend-"+tt.name+".tf.json", backendConfig(tt.target))
		})
	}
}
