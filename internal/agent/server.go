package agent

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// clientURL opens noVNC connected to the bridge, resizing the desktop to the
// browser window and reconnecting by itself after a restart of Xvnc.
const clientURL = "/vnc.html?autoconnect=true&resize=remote&reconnect=true&reconnect_delay=500&path=websockify"

// handler routes the agent's HTTP endpoints. Only /healthz is open: it
// reveals nothing but whether the desktop works, and Kubernetes probes cannot
// carry a secret.
func (a *Agent) handler() http.Handler {
	files := http.FileServer(http.Dir(a.cfg.WebRoot))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", a.serveHealth)
	mux.Handle("GET /metrics", a.auth.wrap(http.HandlerFunc(a.serveMetrics)))
	mux.Handle("GET /websockify", a.auth.wrap(http.HandlerFunc(a.serveBridge)))
	mux.Handle("GET /{$}", a.auth.wrap(http.RedirectHandler(clientURL, http.StatusFound)))
	mux.Handle("GET /", a.auth.wrap(files))
	return secureHeaders(mux)
}

// secureHeaders keeps the client from being framed by another site and the
// token from leaking through the Referer header.
func secureHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		next.ServeHTTP(w, r)
	})
}

func (a *Agent) serveMetrics(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_, _ = a.metrics.WriteTo(w)
}

func (a *Agent) serveHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()

	if err := checkVNC(ctx, a.vncSocket()); err != nil {
		http.Error(w, "vnc: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

// serve runs the HTTP server on ln until ctx ends.
func (a *Agent) serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 500*time.Millisecond)
		defer cancel()
		_ = srv.Shutdown(shutdown)
		_ = srv.Close()
	}()

	err := srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
