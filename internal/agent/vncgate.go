package agent

import (
	"context"
	"errors"
	"net"
	"time"

	"github.com/mvm-dev/mvm/internal/rfb"
)

// serveVNC is the optional door for native VNC viewers. Xvnc itself stays on
// its Unix socket; the agent asks the viewer for the VNC password, then joins
// it to Xvnc, so there is one VNC server and one place that checks secrets.
// VNC passwords are at most eight characters and DES-based, which is why the
// port is opened only on request and published on loopback only.
func (a *Agent) serveVNC(ctx context.Context, ln net.Listener) {
	go func() {
		<-ctx.Done()
		ln.Close()
	}()
	for {
		c, err := ln.Accept()
		if err != nil {
			if ctx.Err() == nil {
				a.log.Error("VNC listener stopped", "err", err.Error())
			}
			return
		}
		go a.vncSession(ctx, c)
	}
}

func (a *Agent) vncSession(ctx context.Context, viewer net.Conn) {
	defer viewer.Close()
	_ = viewer.SetDeadline(time.Now().Add(15 * time.Second))

	if _, err := rfb.AcceptVNCAuth(viewer, a.cfg.VNCPassword); err != nil {
		if errors.Is(err, rfb.ErrAuthFailed) {
			a.metrics.authFailed.Add(1)
			time.Sleep(time.Second) // slow down guessing
		}
		a.log.Warn("VNC viewer refused", "remote", viewer.RemoteAddr().String(), "err", err.Error())
		return
	}

	var d net.Dialer
	vnc, err := d.DialContext(ctx, "unix", a.vncSocket())
	if err != nil {
		return
	}
	defer vnc.Close()
	_ = vnc.SetDeadline(time.Now().Add(5 * time.Second))
	server, err := rfb.Handshake(vnc)
	if err != nil {
		return
	}
	if _, err := viewer.Write(rfb.EncodeServerInit(server.Init)); err != nil {
		return
	}
	_ = viewer.SetDeadline(time.Time{})
	_ = vnc.SetDeadline(time.Time{})

	a.metrics.connections.Add(1)
	a.metrics.clients.Add(1)
	defer a.metrics.clients.Add(-1)
	pipe(ctx, viewer, &bufferedConn{Conn: vnc, r: server.Reader()}, &a.metrics.bytesToVNC, &a.metrics.bytesToWeb)
}

// bufferedConn reads through the handshake's buffer, which may already hold
// the server's first bytes.
type bufferedConn struct {
	net.Conn
	r interface{ Read([]byte) (int, error) }
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
