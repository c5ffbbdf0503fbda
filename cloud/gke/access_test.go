package gke

import (
	"strings"
	"testing"
)

func TestParseWhere(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, where string
		want        Target
		wantErr     string
	}{
		{name: "recorded target", where: "my-project/europe-west1/mvm",
			want: Target{Project: "my-project", Region: "europe-west1", Name: "mvm"}},
		{name: "kube context", where: "gke_my-project_europe-west1_mvm", wantErr: "is not PROJECT/REGION/NAME"},
		{name: "path escape", where: "my-project/../mvm", wantErr: "not a Google Cloud region"},
		{name: "too many parts", where: "a/b/c/d", wantErr: "is not PROJECT/REGION/NAME"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseWhere(tt.where)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseWhere(%q) = %+v, %v; want an error saying %q", tt.where, got, err, tt.wantErr)
				}
				return
			}
			same := got.Project == tt.want.Project && got.Region == tt.want.Region && got.Name == tt.want.Name
			if err != nil || !same {
				t.Errorf("ParseWhere(%q) = %+v, %v; want %+v", tt.where, got, err, tt.want)
			}
		})
	}
}

// TestConnectWithoutWorkDir asks for a target this user never promoted to:
// the error says what to do, and nothing else is tried (no terraform, no
// credentials, no network).
func TestConnectWithoutWorkDir(t *testing.T) {
	t.Parallel()
	o := Options{StateDir: t.TempDir(), CacheDir: t.TempDir(), Environ: []string{"HTTPS_PROXY=http://127.0.0.1:1"}}
	_, err := Connect(t.Context(), Target{Project: "my-project", Region: "europe-west1"}, o)
	if err == nil || !strings.Contains(err.Error(), "run mvm promote gke for it again") {
		t.Fatalf("error %v, want one saying to promote again", err)
	}
}
