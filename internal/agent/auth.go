package agent

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strings"
	"sync/atomic"
)

// auth lets a request through only with the desktop's token. The token is
// accepted from the URL once, then kept in an HttpOnly, SameSite=Strict cookie
// and the browser is sent to the same page without it, so the secret does not
// stay in the address bar, the history or a screenshot. Scripts may send it
// as "Authorization: Bearer <token>" instead.
type auth struct {
	hash   [32]byte
	cookie string
	failed *atomic.Int64
}

// tokenParam is the query parameter that carries the token on first visit.
const tokenParam = "token"

func newAuth(hash [32]byte, failed *atomic.Int64) *auth {
	return &auth{hash: hash, cookie: CookieName(hash), failed: failed}
}

// CookieName is the name of the cookie in which the agent of a desktop whose
// token has the SHA-256 hash keeps the token. Clients that cannot send an
// Authorization header (through the Kubernetes API server's proxy, which
// consumes it) send the token in this cookie instead.
//
// Browsers scope cookies by host, not port, so two desktops on 127.0.0.1
// would overwrite one another's cookie under a shared name; the name is
// derived from the token's hash to keep them apart.
func CookieName(hash [32]byte) string {
	id := sha256.Sum256(hash[:])
	return "mvm_" + hex.EncodeToString(id[:6])
}

// valid compares in constant time: both sides are hashed first, so neither the
// content nor the length of the token leaks through timing.
func (a *auth) valid(token string) bool {
	h := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(h[:], a.hash[:]) == 1
}

func (a *auth) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, from := a.presented(r)
		switch {
		case from == "":
			a.refuse(w, http.StatusUnauthorized, "this desktop needs its token: open the URL that mvm printed")
		case !a.valid(tok):
			a.refuse(w, http.StatusForbidden, "wrong token for this desktop")
		case from == "query" && r.Method == http.MethodGet && !isWebSocket(r):
			a.setCookie(w, r, tok)
			http.Redirect(w, r, withoutToken(r), http.StatusSeeOther)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// presented returns the token the request carries and where it came from:
// "query", "header", "cookie", or "" for none.
func (a *auth) presented(r *http.Request) (string, string) {
	if t := r.URL.Query().Get(tokenParam); t != "" {
		return t, "query"
	}
	if h := r.Header.Get("Authorization"); h != "" {
		t, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return "", "header" // present but unusable: refused, never ignored
		}
		return t, "header"
	}
	if c, err := r.Cookie(a.cookie); err == nil {
		return c.Value, "cookie"
	}
	return "", ""
}

func (a *auth) refuse(w http.ResponseWriter, code int, msg string) {
	a.failed.Add(1)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write([]byte(msg + "\n"))
}

func (a *auth) setCookie(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{
		Name:     a.cookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
		Secure:   r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https",
	})
}

// withoutToken is the request's own URL, relative to the host, without the
// token parameter. The site root goes straight to the noVNC client.
func withoutToken(r *http.Request) string {
	if r.URL.Path == "/" {
		return clientURL
	}
	q := r.URL.Query()
	q.Del(tokenParam)
	u := *r.URL
	u.RawQuery = q.Encode()
	u.Scheme, u.Host = "", ""
	return u.RequestURI()
}

func isWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
