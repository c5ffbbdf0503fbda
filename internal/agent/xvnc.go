package agent

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// vncSocket is Xvnc's RFB socket, reachable only inside the container.
func (a *Agent) vncSocket() string { return filepath.Join(a.cfg.RunDir, "vnc.sock") }

// x11Socket is the X server's own socket, which Openbox and the applications
// connect to.
func (a *Agent) x11Socket() string {
	return "/tmp/.X11-unix/X" + strconv.Itoa(a.cfg.Display)
}

// xvncArgs is the Xvnc command line: one process is both the X server and the
// VNC server, listening on a Unix socket with no TCP port. The agent's token
// check is the desktop's authentication, so Xvnc itself asks for none.
func (a *Agent) xvncArgs() []string {
	geometry := fmt.Sprintf("%dx%d", a.cfg.Width, a.cfg.Height)
	return []string{
		"Xvnc", ":" + strconv.Itoa(a.cfg.Display),
		"-geometry", geometry,
		"-depth", "24",
		"-rfbunixpath", a.vncSocket(),
		"-rfbunixmode", "0600",
		"-rfbport", "-1",
		"-nolisten", "tcp",
		"-SecurityTypes", "None",
		"-AlwaysShared",
		"-AcceptSetDesktopSize",
		"-desktop", "mvm",
		"-dpi", "96",
		// GLX would load Mesa's LLVM renderer, tens of MB per desktop for
		// nothing: applications here render in software anyway.
		"-extension", "GLX",
		"-Log", "*:stderr:10",
	}
}

// clearStaleX removes the lock and sockets a killed Xvnc leaves behind;
// without this a restarted Xvnc refuses with "Server is already active".
func (a *Agent) clearStaleX(context.Context) error {
	// Xvnc creates this directory only as root; the agent runs as the
	// desktop user, so it makes it, sticky and world-writable as X expects.
	if err := os.MkdirAll("/tmp/.X11-unix", 0o1777); err != nil {
		return fmt.Errorf("create X socket directory: %w", err)
	}
	_ = os.Chmod("/tmp/.X11-unix", 0o1777|os.ModeSticky)

	d := strconv.Itoa(a.cfg.Display)
	for _, p := range []string{"/tmp/.X" + d + "-lock", a.x11Socket(), a.vncSocket()} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("remove stale %s: %w", p, err)
		}
	}
	return nil
}

// waitSocket waits until a Unix socket accepts connections, polling briefly:
// Xvnc is usually up within a few tens of milliseconds and every one counts
// towards the time to the first frame.
func waitSocket(ctx context.Context, path string) error {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if c, err := net.DialTimeout("unix", path, 100*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}
