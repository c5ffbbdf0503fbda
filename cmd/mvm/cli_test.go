package main

import (
	"bytes"
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
)

// run runs mvm in process and returns its exit code and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := newApp(&out, &errOut).RunContext(context.Background(), append([]string{"mvm"}, args...))
	code := report(&errOut, err)
	return code, out.String(), errOut.String()
}

func TestBadInput(t *testing.T) {
	// No engine is reachable: an input error must be found before mvm
	// contacts the engine, so nothing can have been created.
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	t.Setenv("MVM_STATE_DIR", t.TempDir())

	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	takenPort := strconv.Itoa(taken.Addr().(*net.TCPAddr).Port)

	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown flag", []string{"dev", "--bogus"}, 2, "flag provided but not defined"},
		{"unknown command", []string{"bogus"}, 2, `unknown command "bogus"`},
		{"stray argument", []string{"dev", "extra"}, 2, "takes no arguments"},
		{"rm without names", []string{"rm"}, 2, "needs the names"},
		{"invalid name", []string{"dev", "--name", "Bad_Name"}, 1, "invalid desktop name"},
		{"long name", []string{"dev", "--name", strings.Repeat("a", 41)}, 1, "invalid desktop name"},
		{"invalid resolution", []string{"dev", "--resolution", "huge"}, 1, "WIDTHxHEIGHT"},
		{"tiny resolution", []string{"dev", "--resolution", "100x100"}, 1, "outside 320x200"},
		{"negative port", []string{"dev", "--port", "-1"}, 1, "invalid --port"},
		{"port too high", []string{"dev", "--port", "70000"}, 1, "invalid --port"},
		{"taken port", []string{"dev", "--port", takenPort}, 1, "already in use"},
		{"bad memory", []string{"dev", "--memory", "lots"}, 1, "invalid --memory"},
		{"bad flavor", []string{"dev", "--flavor", "huge"}, 1, "unknown image flavor"},
		{"engine down", []string{"ls"}, 1, "DOCKER_HOST=unix:///nonexistent/docker.sock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q does not say %q", stderr, tt.want)
			}
			if n := strings.Count(stderr, "ERROR:"); n != 1 {
				t.Errorf("stderr has %d ERROR lines, want exactly one:\n%s", n, stderr)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, "version")
	if code != 0 || !strings.HasPrefix(out, "mvm ") {
		t.Errorf("mvm version: code %d, output %q", code, out)
	}
}

func TestPrettyLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"time":"2026-01-02T03:04:05.678Z","level":"INFO","msg":"start phase","phase":"xvnc_ready","since_start_ms":123}`,
			"INFO  start phase phase=xvnc_ready since_start_ms=123"},
		{`{"time":"x","level":"WARN","msg":"child exited","child":"xvnc","status":"exit 1"}`,
			"x WARN  [xvnc] child exited status=exit 1"},
		{"plain text", "plain text"},
	}
	for _, tt := range tests {
		if got := prettyLine(tt.in); !strings.HasSuffix(got, tt.want) {
			t.Errorf("prettyLine(%s) = %q, want it to end with %q", tt.in, got, tt.want)
		}
	}
}
