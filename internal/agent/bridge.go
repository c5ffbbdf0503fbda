package agent

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// pingInterval keeps idle WebSockets alive through proxies: Google's load
// balancer drops idle connections after 30 s by default, nginx after 60 s.
const pingInterval = 15 * time.Second

// serveBridge upgrades the request to a WebSocket and copies bytes both ways
// between it and Xvnc's Unix socket, as websockify does for noVNC.
func (a *Agent) serveBridge(w http.ResponseWriter, r *http.Request) {
	// The default origin check of the WebSocket library stays on: a page of
	// another origin must not reach the desktop with the user's cookie.
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{
		Subprotocols:    []string{"binary"},
		CompressionMode: websocket.CompressionDisabled,
	})
	if err != nil {
		return
	}
	defer ws.CloseNow()

	vnc, err := a.dialVNC(r.Context())
	if err != nil {
		ws.Close(websocket.StatusTryAgainLater, "desktop is starting")
		return
	}
	defer vnc.Close()

	a.metrics.connections.Add(1)
	a.metrics.clients.Add(1)
	defer a.metrics.clients.Add(-1)

	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go keepAlive(ctx, ws, cancel)
	pipe(ctx, websocket.NetConn(ctx, ws, websocket.MessageBinary), vnc, &a.metrics.bytesToVNC, &a.metrics.bytesToWeb)
}

// vncWait is how long a client that connects while Xvnc starts (or restarts)
// is held before it is told to try again. Holding it, instead of refusing at
// once, gives a browser or probe its first frame the moment Xvnc is up, with
// no polling delay on top.
const vncWait = 10 * time.Second

// dialVNC connects to Xvnc's socket, waiting up to vncWait for it to appear.
func (a *Agent) dialVNC(ctx context.Context) (net.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, vncWait)
	defer cancel()

	var d net.Dialer
	for {
		c, err := d.DialContext(ctx, "unix", a.vncSocket())
		if err == nil || ctx.Err() != nil {
			return c, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(2 * time.Millisecond):
		}
	}
}

// pipe copies both ways until either side closes, counting bytes.
func pipe(ctx context.Context, web, vnc net.Conn, toVNC, toWeb *atomic.Int64) {
	done := make(chan struct{}, 2)
	go func() {
		_, _ = io.Copy(vnc, &counted{r: web, n: toVNC})
		done <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(web, &counted{r: vnc, n: toWeb})
		done <- struct{}{}
	}()

	select {
	case <-done:
	case <-ctx.Done():
	}
	web.Close()
	vnc.Close()
}

// keepAlive pings the browser; a peer that stops answering ends the session
// instead of holding the VNC connection open forever.
func keepAlive(ctx context.Context, ws *websocket.Conn, cancel context.CancelFunc) {
	t := time.NewTicker(pingInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		pctx, pcancel := context.WithTimeout(ctx, pingInterval)
		err := ws.Ping(pctx)
		pcancel()
		if err != nil {
			cancel()
			return
		}
	}
}

type counted struct {
	r io.Reader
	n *atomic.Int64
}

func (c *counted) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
