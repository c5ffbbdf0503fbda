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
	// VNCReady is when a VNC handshake through the agent's bridge first
	// completed.
	VNCReady time.Time
	// FirstFrame is when the first framebuffer arrived through the bridge.
	FirstFrame time.Time
	// Frame is that framebuffer.
	Frame *Frame
}

// WaitReady polls the desktop at base until it serves a first framebuffer to
// a client presenting token, or ctx ends. It reports the moment of each phase.
// A refusal by the agent (a wrong token) ends the wait at once.
//
// Once the agent answers, the probe connects through the bridge right away:
// the agent holds a connection that arrives before its VNC server is up and
// completes it the moment the server is, so the probe waits in one
// connection rather than polling /healthz and then connecting.
func WaitReady(ctx context.Context, base, token string) (Phases, error) {
	var p Phases
	client := &http.Client{Timeout: 2 * time.Second}
	health := strings.TrimRight(base, "/") + "/healthz"

	for p.AgentUp.IsZero() {
		if _, err := get(ctx, client, health); err == nil {
			p.AgentUp = time.Now()
			break
		}
		if err := sleep(ctx, pollInterval); err != nil {
			return p, fmt.Errorf("wait for the desktop at %s: %w (the agent never answered)", base, err)
		}
	}

	for {
		f, err := FirstFrame(ctx, base, token)
		if err == nil {
			p.VNCReady, p.FirstFrame, p.Frame = f.VNCReady, time.Now(), f
			return p, nil
		}
		if IsRefused(err) {
			return p, err
		}
		if serr := sleep(ctx, pollInterval); serr != nil {
			code, _ := get(context.WithoutCancel(ctx), client, health)
			return p, fmt.Errorf("wait for the first frame from %s: %w (%s)", base, err, healthSays(code))
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

// healthSays explains what the agent's /healthz answered after the wait for
// a frame ran out.
func healthSays(code int) string {
	switch code {
	case 0:
		return "the agent stopped answering"
	case http.StatusOK:
		return "the agent and its VNC server answer, but no frame came through the bridge"
	default:
		return fmt.Sprintf("the agent answers, but its VNC server is not up: HTTP %d", code)
	}
}
