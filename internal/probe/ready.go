package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Phases are the moments a starting desktop passes, seen from outside.
type Phases struct {
	// AgentUp is when the agent first answered HTTP.
	AgentUp time.Time
	// VNCReady is when /healthz first reported a working VNC server.
	VNCReady time.Time
	// FirstFrame is when the first framebuffer arrived through the bridge.
	FirstFrame time.Time
	// Frame is that framebuffer.
	Frame *Frame
}

// WaitReady polls the desktop at base until it serves a first framebuffer to
// a client presenting token, or ctx ends. It reports the moment of each phase.
// A refusal by the agent (a wrong token) ends the wait at once.
func WaitReady(ctx context.Context, base, token string) (Phases, error) {
	var p Phases
	client := &http.Client{Timeout: 2 * time.Second}
	health := strings.TrimRight(base, "/") + "/healthz"

	for p.VNCReady.IsZero() {
		code, err := get(ctx, client, health)
		if err == nil && p.AgentUp.IsZero() {
			p.AgentUp = time.Now()
		}
		if code == http.StatusOK {
			p.VNCReady = time.Now()
			break
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return p, fmt.Errorf("wait for the desktop at %s: %w", base, waitCause(err, code))
		}
	}

	for {
		f, err := FirstFrame(ctx, base, token)
		if err == nil {
			p.FirstFrame, p.Frame = time.Now(), f
			return p, nil
		}
		if IsRefused(err) {
			return p, err
		}
		if serr := sleep(ctx, pollInterval); serr != nil {
			return p, fmt.Errorf("wait for the first frame from %s: %w", base, err)
		}
	}
}

func get(ctx context.Context, c *http.Client, u string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func waitCause(err error, lastCode int) error {
	if lastCode != 0 {
		return fmt.Errorf("%w (the agent answers, but its VNC server is not up: HTTP %d)", err, lastCode)
	}
	return fmt.Errorf("%w (the agent never answered)", err)
}
