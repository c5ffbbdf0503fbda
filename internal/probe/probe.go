// Package probe decides when a desktop is ready: not when its container or
// pod runs, but when a VNC client, connected through the agent's WebSocket
// bridge with the desktop's token, receives the first framebuffer. Every
// target (Docker, Kind, Minikube, GKE) is probed the same way.
package probe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"

	"github.com/mvm-dev/mvm/internal/rfb"
)

// Frame is what the probe saw of the desktop.
type Frame struct {
	Width, Height int
	// Colors is the number of distinct colours, counted up to 64; a blank
	// screen has one.
	Colors int
	// Pixels is the framebuffer, 0x00RRGGBB per pixel.
	Pixels []uint32
	// Connected is when the agent accepted the WebSocket, and VNCReady
	// when the VNC server's handshake through it completed.
	Connected, VNCReady time.Time
}

// RefusedError is an answer of the agent that refuses the connection, such as
// 401 for a missing token or 403 for a wrong one.
type RefusedError struct {
	Status int
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the desktop refused the connection (HTTP %d %s)", e.Status, http.StatusText(e.Status))
}

// FirstFrame connects to the desktop at base (its http:// or https:// URL,
// without the token) through the WebSocket bridge, presenting token, and
// returns the first full framebuffer. An empty token sends none.
func FirstFrame(ctx context.Context, base, token string) (*Frame, error) {
	ws, err := dial(ctx, base, token)
	if err != nil {
		return nil, err
	}
	defer ws.CloseNow()
	connected := time.Now()

	conn := websocket.NetConn(ctx, ws, websocket.MessageBinary)
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := rfb.Handshake(conn)
	if err != nil {
		return nil, fmt.Errorf("VNC handshake through the bridge: %w", err)
	}
	vncReady := time.Now()
	f, err := c.FirstFrame()
	if err != nil {
		return nil, fmt.Errorf("first framebuffer: %w", err)
	}
	ws.Close(websocket.StatusNormalClosure, "")
	return &Frame{Width: f.Width, Height: f.Height, Colors: f.Colors(64), Pixels: f.Pixels,
		Connected: connected, VNCReady: vncReady}, nil
}

func dial(ctx context.Context, base, token string) (*websocket.Conn, error) {
	u, err := bridgeURL(base)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if token != "" {
		h.Set("Authorization", "Bearer "+token)
	}

	ws, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{
		HTTPHeader:   h,
		Subprotocols: []string{"binary"},
	})
	if resp != nil && resp.StatusCode >= 400 {
		return nil, &RefusedError{Status: resp.StatusCode}
	}
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", u, err)
	}
	ws.SetReadLimit(64 << 20)
	return ws, nil
}

// bridgeURL turns the desktop's base URL into its WebSocket endpoint.
func bridgeURL(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("desktop URL %q is not an http or https URL", base)
	}
	u.Scheme = strings.Replace(u.Scheme, "http", "ws", 1)
	u.Path = strings.TrimRight(u.Path, "/") + "/websockify"
	u.RawQuery = ""
	return u.String(), nil
}

// IsRefused reports whether err is the agent refusing the connection.
func IsRefused(err error) bool {
	var r *RefusedError
	return errors.As(err, &r)
}

// pollInterval is short because every poll that finds the desktop not yet
// up adds its remainder to the measured start time.
const pollInterval = 5 * time.Millisecond

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
