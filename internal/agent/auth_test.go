package agent

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

const testToken = "correct-horse-battery-staple-0123456789"

func newTestAuth() (*auth, http.Handler) {
	a := newAuth(HashToken(testToken), new(atomic.Int64))
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	return a, a.wrap(ok)
}

func TestAuth(t *testing.T) {
	t.Parallel()
	a, h := newTestAuth()
	tests := []struct {
		name     string
		target   string
		header   map[string]string
		cookie   string
		want     int
		location string
	}{
		{name: "nothing", target: "/vnc.html", want: 401},
		{name: "wrong query", target: "/vnc.html?token=nope", want: 403},
		{name: "query moves to cookie", target: "/?token=" + testToken, want: 303, location: clientURL},
		{name: "query keeps other params", target: "/vnc.html?a=1&token=" + testToken, want: 303, location: "/vnc.html?a=1"},
		{name: "bearer", target: "/metrics", header: map[string]string{"Authorization": "Bearer " + testToken}, want: 200},
		{name: "wrong bearer", target: "/metrics", header: map[string]string{"Authorization": "Bearer x"}, want: 403},
		{name: "basic is not a token", target: "/metrics", header: map[string]string{"Authorization": "Basic " + testToken}, want: 403},
		{name: "cookie", target: "/vnc.html", cookie: testToken, want: 200},
		{name: "wrong cookie", target: "/vnc.html", cookie: "stale", want: 403},
		{name: "websocket with query token", target: "/websockify?token=" + testToken,
			header: map[string]string{"Upgrade": "websocket"}, want: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := httptest.NewRequest(http.MethodGet, tt.target, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			if tt.cookie != "" {
				req.AddCookie(&http.Cookie{Name: a.cookie, Value: tt.cookie})
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != tt.want {
				t.Fatalf("status = %d, want %d", rec.Code, tt.want)
			}
			if loc := rec.Header().Get("Location"); loc != tt.location {
				t.Errorf("Location = %q, want %q", loc, tt.location)
			}
			if strings.Contains(rec.Header().Get("Location"), testToken) {
				t.Error("the redirect keeps the token in the URL")
			}
		})
	}
}

func TestAuthCookieAttributes(t *testing.T) {
	t.Parallel()
	a, h := newTestAuth()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/?token="+testToken, nil))

	cookies := rec.Result().Cookies()
	if len(cookies) != 1 {
		t.Fatalf("got %d cookies, want 1", len(cookies))
	}
	c := cookies[0]
	if c.Name != a.cookie || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/" {
		t.Errorf("cookie %+v is not HttpOnly, SameSite=Strict, Path=/ under the desktop's own name", c)
	}
}

func TestCookieNamesDifferPerDesktop(t *testing.T) {
	t.Parallel()
	a := newAuth(HashToken("desktop-one-token-0000"), new(atomic.Int64))
	b := newAuth(HashToken("desktop-two-token-0000"), new(atomic.Int64))
	if a.cookie == b.cookie {
		t.Errorf("two desktops share cookie name %q; on one host they would overwrite each other", a.cookie)
	}
}

// FuzzAuth sends arbitrary paths, headers and cookies: only requests that
// carry the exact token may reach the desktop.
func FuzzAuth(f *testing.F) {
	f.Add("/vnc.html", "", "", "")
	f.Add("/?token="+testToken, "", "", "")
	f.Add("/metrics", "Bearer "+testToken, "", "")
	f.Add("/x", "", testToken, "websocket")
	f.Add("/%2e%2e/?token=a&token="+testToken, "Bearer", "\x00", "")

	a, h := newTestAuth()
	f.Fuzz(func(t *testing.T, target, authz, cookie, upgrade string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || !strings.HasPrefix(target, "/") {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, req.RequestURI = u, target
		req.Header.Set("Authorization", authz)
		req.Header.Set("Upgrade", upgrade)
		if c := (&http.Cookie{Name: a.cookie, Value: cookie}); cookie != "" && c.Valid() == nil {
			req.AddCookie(&http.Cookie{Name: a.cookie, Value: cookie})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)

		tok, _ := a.presented(req)
		granted := rec.Code == http.StatusOK || rec.Code == http.StatusSeeOther
		if granted && tok != testToken {
			t.Fatalf("%s let through %q (authorization %q, cookie %q) with status %d", target, tok, authz, cookie, rec.Code)
		}
		if rec.Code == http.StatusSeeOther && strings.Contains(rec.Header().Get("Location"), testToken) {
			t.Fatalf("redirect to %q keeps the token", rec.Header().Get("Location"))
		}
	})
}
