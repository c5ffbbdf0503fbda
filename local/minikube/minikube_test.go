package minikube

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mvm-dev/mvm/internal/exec"
)

// fakeRunner answers each command with a recorded output and remembers the
// argv it was given.
type fakeRunner struct {
	t       *testing.T
	answers map[string]string // first non-flag subcommand words → testdata file
	fail    map[string]error
	argv    [][]string
}

func (f *fakeRunner) Output(_ context.Context, c exec.Cmd) ([]byte, error) {
	f.argv = append(f.argv, c.Args)
	key := subcommand(c.Args)
	var out []byte
	if name, ok := f.answers[key]; ok && name != "" {
		out = testdata(f.t, name)
	}
	return out, f.fail[key]
}

// subcommand is the command's words without the program and flags, such
// as "image ls".
func subcommand(args []string) string {
	var words []string
	for i := 1; i < len(args); i++ {
		switch {
		case args[i] == "-p":
			i++
		case strings.HasPrefix(args[i], "-"):
		default:
			words = append(words, args[i])
		}
	}
	if len(words) > 2 {
		words = words[:2]
	}
	return strings.Join(words, " ")
}

func testdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newCLI(f *fakeRunner) *CLI {
	return &CLI{Binary: "/usr/local/bin/minikube", Profile: "mvm", Runner: f}
}

func TestParseVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file   string
		want   Version
		recent bool
	}{
		{"version.json", Version{1, 35, 0}, true},
		{"version-old.json", Version{1, 25, 2}, false},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			got, err := ParseVersion(testdata(t, tt.file))
			if err != nil || got != tt.want {
				t.Fatalf("ParseVersion = %v, %v; want %v", got, err, tt.want)
			}
			if got.AtLeast(MinVersion) != tt.recent {
				t.Errorf("%v.AtLeast(%v) = %t", got, MinVersion, !tt.recent)
			}
		})
	}
	for _, bad := range []string{`{}`, `{"minikubeVersion":"1.x"}`, `not json`} {
		if _, err := ParseVersion([]byte(bad)); err == nil {
			t.Errorf("ParseVersion(%s) succeeded", bad)
		}
	}
}

func TestParseProfiles(t *testing.T) {
	t.Parallel()
	ps, err := ParseProfiles(testdata(t, "profiles.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Profile{
		{Name: "minikube", Status: "Running", Driver: "kvm2", ExposedPorts: []string{}},
		{Name: "mvm", Status: "Stopped", Driver: "docker", ExposedPorts: []string{"127.0.0.1::30680", "127.0.0.1::30681"}},
	}
	if d := cmp.Diff(want, ps); d != "" {
		t.Errorf("profiles (-want +got):\n%s", d)
	}

	if ps, err := ParseProfiles(testdata(t, "profiles-none.json")); err != nil || len(ps) != 0 {
		t.Errorf("no profiles: got %v, %v", ps, err)
	}
	if _, err := ParseProfiles(testdata(t, "profiles-error.json")); err == nil {
		t.Error("an error answer parsed as a profile list")
	}
}

func TestStatusKeepsTheListOnNonZeroExit(t *testing.T) {
	t.Parallel()
	f := &fakeRunner{t: t,
		answers: map[string]string{"profile list": "profiles.json"},
		fail:    map[string]error{"profile list": errors.New("exit status 1")},
	}
	p, err := newCLI(f).Status(context.Background())
	if err != nil || p == nil || p.Running() || p.Driver != "docker" {
		t.Fatalf("Status = %+v, %v; want the stopped docker profile mvm", p, err)
	}
	want := []string{"/usr/local/bin/minikube", "profile", "list", "--output", "json"}
	if d := cmp.Diff(want, f.argv[0]); d != "" {
		t.Errorf("argv (-want +got):\n%s", d)
	}
}

func TestStartArgs(t *testing.T) {
	t.Parallel()
	got := newCLI(nil).StartArgs(StartOptions{Ports: []int32{30680, 30681}})
	want := []string{
		"/usr/local/bin/minikube", "start", "-p", "mvm", "--driver=docker", "--output=json",
		"--ports=127.0.0.1::30680", "--ports=127.0.0.1::30681",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("argv (-want +got):\n%s", d)
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string
		fail    error
		steps   int
		wantErr string
	}{
		{"ok", "start-ok.jsonl", nil, 4, ""},
		{"error event", "start-error.jsonl", errors.New("exit status 26"), 1,
			"RSRC_DOCKER_STORAGE: Docker is out of disk space! (/var is at 100% of capacity). " +
				"(Try one or more of the following to free up space on the device:)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeRunner{t: t, answers: map[string]string{"start": tt.file}, fail: map[string]error{"start": tt.fail}}
			var steps []string
			err := newCLI(f).Start(context.Background(), StartOptions{Progress: func(s string) { steps = append(steps, s) }})
			if len(steps) != tt.steps {
				t.Errorf("progress steps %q, want %d", steps, tt.steps)
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.HasSuffix(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("Start: error %q, want one line ending %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoadImage(t *testing.T) {
	t.Parallel()
	const ref = "mvm.local/desktop:full-9b97c63c8e60"
	const id = "sha256:86d2b3ba7c37e1f5b9a64c0a7d1f3e2b4c5d6e7f8091a2b3c4d5e6f708192a3b"
	tests := []struct {
		name   string
		id     string
		loaded bool
	}{
		{"same image is skipped", id, false},
		{"another build is loaded", "sha256:0123", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeRunner{t: t, answers: map[string]string{"image ls": "images.json"}}
			loaded, err := newCLI(f).LoadImage(context.Background(), ref, tt.id)
			if err != nil || loaded != tt.loaded {
				t.Fatalf("LoadImage = %t, %v; want %t", loaded, err, tt.loaded)
			}
			want := [][]string{{"/usr/local/bin/minikube", "-p", "mvm", "image", "ls", "--format", "json"}}
			if tt.loaded {
				want = append(want, []string{"/usr/local/bin/minikube", "-p", "mvm", "image", "load", ref})
			}
			if d := cmp.Diff(want, f.argv); d != "" {
				t.Errorf("argv (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseImageIDNormalises(t *testing.T) {
	t.Parallel()
	b := testdata(t, "images.json")
	for ref, want := range map[string]string{
		"nginx":                      "sha256:5107333e08a87b836d48ff7528b1e84b9c86781cc9f1748bbc1b8c42a870d933",
		"registry.k8s.io/pause:3.10": "sha256:873ed75102791e5b0b8a7fcd41606c92fcec98d56d05ead4ac5131650004c136",
		"mvm.local/desktop:slim":     "",
	} {
		if ref == "nginx" {
			ref = "nginx:latest"
		}
		got, err := ParseImageID(b, ref)
		if err != nil || got != want {
			t.Errorf("ParseImageID(%s) = %q, %v; want %q", ref, got, err, want)
		}
	}
}

func TestValidateProfile(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"mvm", "team-1", "a"} {
		if err := ValidateProfile(ok); err != nil {
			t.Errorf("ValidateProfile(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Mvm", "-x", "a_b", strings.Repeat("a", 51)} {
		if err := ValidateProfile(bad); err == nil {
			t.Errorf("ValidateProfile(%q) accepted it", bad)
		}
	}
}

func FuzzParseEvents(f *testing.F) {
	for _, name := range []string{"start-ok.jsonl", "start-error.jsonl"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":"io.k8s.sigs.minikube.error","data":{"message":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		events, _ := ParseEvents(b)
		for _, e := range events {
			if e.Type == "" {
				t.Fatalf("event without a type from %q", b)
			}
		}
		_ = firstError(events)
	})
}
