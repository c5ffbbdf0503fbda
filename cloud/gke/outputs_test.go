package gke

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"
)

// outputMeta builds terraform output -json's entries from plain values.
func outputMeta(t testing.TB, values map[string]any) map[string]tfexec.OutputMeta {
	t.Helper()

	meta := map[string]tfexec.OutputMeta{}
	for k, v := range values {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		meta[k] = tfexec.OutputMeta{Value: raw}
	}
	return meta
}

func TestDecodeOutputs(t *testing.T) {
	t.Parallel()
	all := map[string]any{
		"cluster_endpoint":       "https://203.0.113.10",
		"cluster_ca_certificate": "Q0E=",
		"repository_url":         "europe-west1-docker.pkg.dev/mvm-example/mvm",
		"ingress_ip":             "",
		"cluster_name":           "mvm",
		"location":               "europe-west1",
		"extra":                  []int{1},
	}
	without := func(names ...string) map[string]any {
		m := map[string]any{}
		for k, v := range all {
			m[k] = v
		}
		for _, n := range names {
			delete(m, n)
		}
		return m
	}
	with := func(name string, v any) map[string]any {
		m := without()
		m[name] = v
		return m
	}

	tests := []struct {
		name    string
		values  map[string]any
		want    *Outputs
		wantErr string
	}{
		{
			name:   "contract",
			values: all,
			want: &Outputs{
				ClusterEndpoint: "https://203.0.113.10", ClusterCACertificate: "Q0E=",
				RepositoryURL: "europe-west1-docker.pkg.dev/mvm-example/mvm",
				ClusterName:   "mvm", Location: "europe-west1",
			},
		},
		{
			name:    "not applied",
			values:  map[string]any{},
			wantErr: "the state has no outputs: apply the infrastructure first",
		},
		{
			name:   "missing outputs",
			values: without("ingress_ip", "location"),
			wantErr: "the module has no output ingress_ip, location: " +
				"a module for mvm must declare every output of mvm's own",
		},
		{
			name:    "not a string",
			values:  with("ingress_ip", []string{"203.0.113.20"}),
			wantErr: `output ingress_ip is not a string: ["203.0.113.20"]`,
		},
		{
			name:   "null is empty",
			values: with("ingress_ip", nil),
			want: &Outputs{
				ClusterEndpoint: "https://203.0.113.10", ClusterCACertificate: "Q0E=",
				RepositoryURL: "europe-west1-docker.pkg.dev/mvm-example/mvm",
				ClusterName:   "mvm", Location: "europe-west1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := decodeOutputs(outputMeta(t, tt.values))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("decodeOutputs() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decodeOutputs() (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzDecodeOutputs feeds terraform output values that no module should
// produce: decoding must fail cleanly or give strings, never panic.
func FuzzDecodeOutputs(f *testing.F) {
	f.Add([]byte(`"https://203.0.113.10"`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"a":[1,2]}`))
	f.Add([]byte(`"\u0000\ud800"`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		meta := map[string]tfexec.OutputMeta{}
		for _, f := range (&Outputs{}).fields() {
			meta[f.name] = tfexec.OutputMeta{Value: raw}
		}
		o, err := decodeOutputs(meta)
		if err == nil && o == nil {
			t.Fatal("no outputs and no error")
		}
	})
}
