package minikube

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/mvm-dev/mvm/internal/exec"
)

// StartOptions configure [CLI.Start].
type StartOptions struct {
	// Ports are the node ports to publish on 127.0.0.1, each on a free host
	// port.
	Ports []int32
	// Progress, when set, is told each step minikube reports.
	Progress func(step string)
}

// StartArgs is the argv of `minikube start` for the profile: the docker
// driver, the desktop ports published on 127.0.0.1 only, and JSON events on
// stdout instead of prose.
func (m *CLI) StartArgs(o StartOptions) []string {
	args := []string{m.Binary, "start", "-p", m.Profile, "--driver=docker", "--output=json"}
	for _, p := range o.Ports {
		args = append(args, fmt.Sprintf("--ports=127.0.0.1::%d", p))
	}
	return args
}

// Start starts (or creates) the profile and waits until its cluster runs.
// minikube's own error event, with its advice, becomes the error.
func (m *CLI) Start(ctx context.Context, o StartOptions) error {
	out, err := m.Runner.Output(ctx, exec.Cmd{Args: m.StartArgs(o)})
	events, perr := ParseEvents(out)
	if o.Progress != nil {
		for _, e := range events {
			if e.Type == EventStep {
				o.Progress(e.Message)
			}
		}
	}
	if failed := firstError(events); failed != nil {
		return fmt.Errorf("start minikube profile %s: %w", m.Profile, failed)
	}
	if err != nil {
		return fmt.Errorf("start minikube profile %s: %w", m.Profile, err)
	}
	return perr
}

// Event types of minikube's JSON output.
const (
	EventStep    = "io.k8s.sigs.minikube.step"
	EventInfo    = "io.k8s.sigs.minikube.info"
	EventWarning = "io.k8s.sigs.minikube.warning"
	EventError   = "io.k8s.sigs.minikube.error"
)

// Event is one line of minikube's JSON output (a CloudEvent).
type Event struct {
	Type    string
	Name    string
	Message string
	Advice  string
}

// ParseEvents reads the JSON lines that minikube writes with --output=json.
// Lines that are not JSON (a driver's stray output) are skipped.
func ParseEvents(b []byte) ([]Event, error) {
	var out []Event
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64<<10), 4<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] != '{' {
			continue
		}
		var v struct {
			Type string `json:"type"`
			Data struct {
				Name    string `json:"name"`
				Message string `json:"message"`
				Advice  string `json:"advice"`
			} `json:"data"`
		}
		if json.Unmarshal(line, &v) != nil || v.Type == "" {
			continue
		}
		out = append(out, Event{
			Type: v.Type, Name: v.Data.Name,
			Message: strings.TrimSpace(v.Data.Message), Advice: strings.TrimSpace(v.Data.Advice),
		})
	}
	if err := sc.Err(); err != nil {
		return out, fmt.Errorf("read minikube's events: %w", err)
	}
	return out, nil
}

// firstError is minikube's first error event as an error, with its advice.
func firstError(events []Event) error {
	for _, e := range events {
		if e.Type != EventError {
			continue
		}
		msg := e.Message
		if e.Name != "" {
			msg = e.Name + ": " + msg
		}
		if e.Advice != "" {
			msg += " (" + firstLine(e.Advice) + ")"
		}
		return errors.New(msg)
	}
	return nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(line)
}
