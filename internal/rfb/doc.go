// Package rfb speaks just enough of the Remote Framebuffer protocol (RFC 6143)
// to prove that a VNC server is really serving a desktop: the handshake with
// security type None, a request for the whole screen in Raw encoding, and the
// first FramebufferUpdate. The agent uses it for its health check and mvm uses
// it, through the agent's WebSocket bridge, as the readiness probe of every
// target.
package rfb
