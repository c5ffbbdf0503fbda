package gke

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPrereqs(t *testing.T) {
	t.Parallel()
	good := Target{Project: "mvm-example", Region: "europe-west1", Name: "mvm"}
	found := func(string) (string, error) { return "/usr/local/bin/terraform", nil }
	notFound := func(string) (string, error) {
		return "", errors.New(`exec: "terraform": executable file not found in $PATH`)
	}
	installed := func(context.Context) (string, error) { return "/cache/terraform/bin/1.11.4/terraform", nil }
	offline := func(context.Context) (string, error) {
		return "", errors.New("dial tcp: lookup releases.hashicorp.com: no such host")
	}
	creds := func(context.Context) (string, error) { return "GOOGLE_OAUTH_ACCESS_TOKEN", nil }
	noCreds := func(context.Context) (string, error) {
		return "", errors.New("google: could not find default credentials")
	}

	tests := []struct {
		name     string
		target   Target
		p        prereqs
		wantPath string
		wantErr  string
	}{
		{
			name:     "all there",
			target:   good,
			p:        prereqs{lookPath: found, install: offline, credentials: creds},
			wantPath: "/usr/local/bin/terraform",
		},
		{
			name:     "terraform installed when missing",
			target:   good,
			p:        prereqs{lookPath: notFound, install: installed, credentials: creds},
			wantPath: "/cache/terraform/bin/1.11.4/terraform",
		},
		{
			name:   "terraform missing and not installable",
			target: good,
			p:      prereqs{lookPath: notFound, install: offline, credentials: creds},
			wantErr: "terraform is not on PATH and could not be installed (install terraform 1.5.0 or newer): " +
				"dial tcp: lookup releases.hashicorp.com: no such host",
		},
		{
			name:   "no credentials",
			target: good,
			p:      prereqs{lookPath: found, install: offline, credentials: noCreds},
			wantErr: `no Google credentials: run "gcloud auth application-default login" or set ` +
				"GOOGLE_OAUTH_ACCESS_TOKEN: google: could not find default credentials",
		},
		{
			name:   "everything wrong, and no install attempted",
			target: Target{Region: "europe-west", Name: "Desktop"},
			p: prereqs{lookPath: notFound, credentials: noCreds, install: func(context.Context) (string, error) {
				panic("install attempted while other prerequisites are missing")
			}},
			wantErr: "no project: give the ID of the Google Cloud project to use\n" +
				`region "europe-west" is not a Google Cloud region such as europe-west1` + "\n" +
				`name "Desktop" must be 1 to 30 lowercase letters, digits or hyphens, ` +
				"starting with a letter and not ending with a hyphen\n" +
				`no Google credentials: run "gcloud auth application-default login" or set ` +
				"GOOGLE_OAUTH_ACCESS_TOKEN: google: could not find default credentials\n" +
				"terraform is not on PATH: install terraform 1.5.0 or newer",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path, err := tt.p.check(t.Context(), tt.target)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("check() = %q, want error", path)
				}
				if diff := cmp.Diff(tt.wantErr, err.Error()); diff != "" {
					t.Errorf("check() error (-want +got):\n%s", diff)
				}
				return
			}
			if err != nil || path != tt.wantPath {
				t.Errorf("check() = %q, %v; want %q", path, err, tt.wantPath)
			}
		})
	}
}

func TestTargetCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		target Target
		want   []string
	}{
		{name: "plain", target: Target{Project: "mvm-example", Region: "europe-west1", Name: "mvm"}},
		{
			name: "everything set",
			target: Target{
				Project: "example.com:mvm-example", Region: "northamerica-northeast2", Name: "desk-1",
				Domain: "desktop.example.com", StateBucket: "example-tfstate",
			},
		},
		{
			name:   "short project",
			target: Target{Project: "mvm", Region: "europe-west1", Name: "mvm"},
			want:   []string{`project "mvm" is not a Google Cloud project ID (6 to 30 lowercase letters, digits and hyphens)`},
		},
		{
			name:   "path elements",
			target: Target{Project: "../../etc", Region: "europe-west1/..", Name: "a/b"},
			want: []string{
				`project "../../etc" is not a Google Cloud project ID (6 to 30 lowercase letters, digits and hyphens)`,
				`region "europe-west1/.." is not a Google Cloud region such as europe-west1`,
				`name "a/b" must be 1 to 30 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen`,
			},
		},
		{
			name:   "zone instead of region",
			target: Target{Project: "mvm-example", Region: "europe-west1-b", Name: "mvm"},
			want:   []string{`region "europe-west1-b" is not a Google Cloud region such as europe-west1`},
		},
		{
			name: "domain and bucket",
			target: Target{
				Project: "mvm-example", Region: "europe-west1", Name: "mvm",
				Domain: "https://desktop.example.com", StateBucket: "gs://example-tfstate",
			},
			want: []string{
				`domain "https://desktop.example.com" is not a lowercase DNS name such as desktop.example.com`,
				`state bucket "gs://example-tfstate" is not a Cloud Storage bucket name (give it without gs://)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, err := range tt.target.check() {
				got = append(got, err.Error())
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("check() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFindCredentialsFromEnvironment(t *testing.T) {
	t.Parallel()
	// Only the variables are tried here: application default credentials
	// would probe the GCE metadata server, which tests must never reach.
	for _, name := range tokenEnv {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			getenv := func(k string) string {
				if k == name {
					return "value"
				}
				return ""
			}
			got, err := findCredentials(t.Context(), getenv)
			if err != nil || got != name {
				t.Errorf("findCredentials() = %q, %v; want %q", got, err, name)
			}
		})
	}
}
