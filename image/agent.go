package image

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mvm-dev/mvm/internal/exec"
)

// Module is the Go module that holds the agent's source.
const Module = "github.com/mvm-dev/mvm"

// AgentOptions say where the agent binary comes from.
type AgentOptions struct {
	// Binary is a prebuilt agent for the engine's platform; when empty, the
	// agent is compiled from source with the host's Go toolchain.
	Binary string
	// CacheDir keeps compiled agents between runs.
	CacheDir string
	// Stream receives the compiler's output.
	Stream interface{ Write([]byte) (int, error) }
}

// Agent returns the agent binary for linux/goarch.
//
// The agent is compiled on the host, as ko does, rather than in a build
// stage: no Go image can be pulled on an offline machine, the host toolchain
// cross-compiles in seconds, and its build cache makes an unchanged agent a
// no-op. Output is reproducible (-trimpath, no VCS stamp), so an unchanged
// agent keeps the image's content hash.
func Agent(ctx context.Context, goarch string, o AgentOptions) ([]byte, error) {
	if o.Binary != "" {
		b, err := os.ReadFile(o.Binary)
		if err != nil {
			return nil, fmt.Errorf("read agent binary: %w", err)
		}
		return b, nil
	}

	goBin, err := goTool()
	if err != nil {
		return nil, err
	}
	src, err := moduleDir()
	if err != nil {
		return nil, err
	}

	out := filepath.Join(o.CacheDir, "mvm-agent-linux-"+goarch)
	cmd := exec.Cmd{
		Args: []string{goBin, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out, "./cmd/mvm-agent"},
		Dir:  src,
		Env:  []string{"CGO_ENABLED=0", "GOOS=linux", "GOARCH=" + goarch},
	}
	if o.Stream != nil {
		cmd.Stream = o.Stream
	}
	if _, err := exec.Run(ctx, cmd); err != nil {
		return nil, fmt.Errorf("compile the agent for linux/%s: %w", goarch, err)
	}
	return os.ReadFile(out)
}

// ErrNoGo means the agent cannot be compiled because Go is not installed.
var ErrNoGo = errors.New("the desktop agent is compiled with Go, which is not installed: " +
	"install Go (https://go.dev/dl) or pass --agent with a prebuilt linux agent binary")

func goTool() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	// `go run` does not always put its toolchain on PATH.
	if root := runtime.GOROOT(); root != "" {
		p := filepath.Join(root, "bin", "go")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoGo
}

// moduleDir finds the source of this module: the checkout mvm runs from
// (found from the working directory upwards), else the directory this file
// was compiled from.
func moduleDir() (string, error) {
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if isModuleRoot(d) {
				return d, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if d := filepath.Dir(filepath.Dir(file)); isModuleRoot(d) {
			return d, nil
		}
	}
	// TODO: fetch the agent source of this mvm's version through the Go module
	// proxy when mvm was installed without a checkout; until then such users
	// pass --agent.
	return "", fmt.Errorf("the agent's source (module %s) was not found: run mvm from its checkout, "+
		"or pass --agent with a prebuilt linux agent binary", Module)
}

func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()

	s := bufio.NewScanner(f)
	for s.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module "); ok {
			return strings.TrimSpace(m) == Module
		}
	}
	return false
}
