package gke

import (
	"io"
	"strings"
	"testing"
)

func TestRemoteRef(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, repository, local, want, wantErr string
	}{
		{
			name:       "artifact registry",
			repository: "europe-west1-docker.pkg.dev/mvm-example/mvm",
			local:      "mvm.local/desktop:full-0123456789ab",
			want:       "europe-west1-docker.pkg.dev/mvm-example/mvm/desktop:full-0123456789ab",
		},
		{
			name: "loopback registry", repository: "127.0.0.1:5000/mvm/", local: "mvm.local/desktop:slim",
			want: "127.0.0.1:5000/mvm/desktop:slim",
		},
		{name: "untagged", repository: "r.example/x", local: "desktop", want: "r.example/x/desktop:latest"},
		{
			name: "bad repository", repository: "Not A Repo", local: "mvm.local/desktop:full",
			wantErr: `repository "Not A Repo" from the module's outputs`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := remoteRef(tt.repository, tt.local)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("remoteRef() error = %v, want %q…", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("remoteRef() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestReadPush(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, stream, want, wantErr string
	}{
		{
			name: "pushed",
			stream: `{"status":"The push refers to repository [r/x/desktop]"}
{"status":"Pushing","progressDetail":{"current":1},"progress":"[=>  ]","id":"a1"}
{"status":"Pushed","id":"a1"}
{"status":"full: digest: sha256:abc size: 1"}
{"progressDetail":{},"aux":{"Tag":"full","Digest":"sha256:abc","Size":1}}`,
			want: "sha256:abc",
		},
		{
			name: "refused",
			stream: `{"status":"The push refers to repository [r/x/desktop]"}
{"errorDetail":{"message":"unauthorized: authentication required"},"error":"unauthorized: authentication required"}`,
			wantErr: "unauthorized: authentication required",
		},
		{name: "no digest", stream: `{"status":"Pushed","id":"a1"}`, wantErr: "the engine reported no digest"},
		{name: "garbage", stream: `{"status":`, wantErr: "read the engine's progress"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := readPush(strings.NewReader(tt.stream), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("readPush() error = %v, want %q…", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("readPush() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// FuzzReadPush feeds the engine's push stream parser anything: it must end
// with a digest or an error, never both and never neither.
func FuzzReadPush(f *testing.F) {
	f.Add(`{"aux":{"Digest":"sha256:abc"}}`)
	f.Add(`{"error":"denied"}{"aux":{"Digest":"sha256:abc"}}`)
	f.Add(`{"status":"Pushed","id":"a"}` + "\n" + `{"aux":null}`)
	f.Add(`{"aux":{"Digest":""}}[`)
	f.Fuzz(func(t *testing.T, stream string) {
		digest, err := readPush(strings.NewReader(stream), io.Discard)
		if (digest == "") == (err == nil) {
			t.Fatalf("readPush() = %q, %v; want exactly one of a digest and an error", digest, err)
		}
	})
}
