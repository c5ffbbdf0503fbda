package standin

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/distribution/distribution/v3/configuration"
	"github.com/distribution/distribution/v3/registry/handlers"
	_ "github.com/distribution/distribution/v3/registry/storage/driver/filesystem" // the registry's storage
	"github.com/sirupsen/logrus"
)

// tokenUser is the user under which Artifact Registry takes an access token
// as the password.
const tokenUser = "oauth2accesstoken"

// Registry is a Docker registry (distribution's own code) serving on two
// addresses, as Artifact Registry serves two kinds of client: on 127.0.0.1
// the Docker Engine pushes with the user's token (Basic auth as
// oauth2accesstoken), and on an address of a Docker bridge the cluster's
// nodes pull without credentials, as GKE nodes pull with their own identity.
type Registry struct {
	// Addr is host:port on 127.0.0.1, the repository host for pushing.
	Addr string
	// NodeAddr is host:port on the bridge, where the nodes pull from.
	NodeAddr string

	pushes atomic.Int64
}

// Pushes counts the authenticated writes the registry accepted.
func (r *Registry) Pushes() int64 { return r.pushes.Load() }

// StartRegistry serves a new, empty registry until the test ends. Writes on
// 127.0.0.1 need the token; bridgeIP is the address the nodes reach the
// host on.
func StartRegistry(t testing.TB, token, bridgeIP string) *Registry {
	t.Helper()

	cfg, err := configuration.Parse(strings.NewReader(`
version: 0.1
log:
  level: error
  accesslog:
    disabled: true
http:
  secret: standin
storage:
  filesystem:
    rootdirectory: ` + t.TempDir() + `
`))
	if err != nil {
		t.Fatal(err)
	}
	// The registry logs through logrus's standard logger: every request, and
	// every probe for a blob it does not have yet as an error.
	logrus.SetLevel(logrus.FatalLevel)
	ctx, cancel := context.WithCancel(context.Background())
	app := handlers.NewApp(ctx, cfg)

	r := &Registry{}
	r.Addr = serve(t, "127.0.0.1:0", r.authenticated(app, token))
	r.NodeAddr = serve(t, net.JoinHostPort(bridgeIP, "0"), readOnly(app))
	t.Cleanup(cancel)
	return r
}

// serve serves h on addr until the test ends and returns the address.
func serve(t testing.TB, addr string, h http.Handler) string {
	t.Helper()

	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("registry on %s: %v", addr, err)
		}
	}()
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// authenticated asks for the token on every request, as Artifact Registry
// does, and counts the writes.
func (r *Registry) authenticated(h http.Handler, token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		user, pass, ok := req.BasicAuth()
		if !ok || user != tokenUser || subtle.ConstantTimeCompare([]byte(pass), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="standin"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			r.pushes.Add(1)
		}
		h.ServeHTTP(w, req)
	})
}

// readOnly lets nodes pull and nothing else.
func readOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			http.Error(w, "read only", http.StatusMethodNotAllowed)
			return
		}
		h.ServeHTTP(w, req)
	})
}
