// Package agent is the desktop image's PID 1. It starts Xvnc and Openbox,
// restarts them when they die, reaps orphaned processes, and serves the noVNC
// web client and a WebSocket bridge to Xvnc behind the desktop's secret token.
// It also serves /healthz (a real RFB handshake with Xvnc) and /metrics
// (Prometheus text), and logs JSON lines.
//
// Xvnc listens on a Unix socket only, so the token check in front of the
// bridge is the one way in; a TCP VNC port is opened only when asked for.
package agent
