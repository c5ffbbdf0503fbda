package agent

import (
	"context"
	"net"
	"time"

	"github.com/mvm-dev/mvm/internal/rfb"
)

// checkVNC runs a real RFB handshake with Xvnc: a socket that accepts
// connections is not enough, the server must answer as a VNC server.
func checkVNC(ctx context.Context, socket string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		return err
	}
	defer conn.Close()

	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	}
	_, err = rfb.Handshake(conn)
	return err
}
