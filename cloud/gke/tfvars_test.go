package gke

import (
	"testing"
)

func TestTfvars(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target Target
	}{
		{
			name:   "defaults",
			target: Target{Project: "mvm-example", Region: "europe-west1", Name: DefaultName},
		},
		{
			name: "domain and protection",
			target: Target{
				Project: "mvm-example", Region: "us-central1", Name: "demo",
				Domain: "desktop.example.com", DeletionProtection: true,
			},
		},
		{
			name: "module variables",
			target: Target{
				Project: "mvm-example", Region: "europe-west1", Name: DefaultName,
				Vars: map[string]any{
					"cluster_endpoint": "https://127.0.0.1:6443",
					"repository_url":   "127.0.0.1:5000/mvm",
					"replicas":         2,
				},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tfvars(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, "tfvars-"+slug(tt.name)+".json", got)
		})
	}
}

func TestTfvarsRefusesTargetVariables(t *testing.T) {
	t.Parallel()

	target := Target{Project: "mvm-example", Region: "europe-west1", Vars: map[string]any{"region": "us-east1"}}
	_, err := tfvars(target)
	want := `variable "region" is set by the target itself; set the target's field instead`
	if err == nil || err.Error() != want {
		t.Errorf("tfvars() error = %v, want %q", err, want)
	}
}
