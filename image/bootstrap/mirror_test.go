package bootstrap

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
)

// testMirror is a Debian archive on a loopback HTTP server, signed with a key
// made for the test.
type testMirror struct {
	*httptest.Server
	key *openpgp.Entity

	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
}

func newTestMirror(t *testing.T) *testMirror {
	t.Helper()
	m := &testMirror{key: newTestKey(t), files: map[string][]byte{}, hits: map[string]int{}}
	m.Server = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.Close)
	return m
}

func newTestKey(t testing.TB) *openpgp.Entity {
	t.Helper()
	e, err := openpgp.NewEntity("Test Archive Key", "", "archive@example.invalid", nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (m *testMirror) serve(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	data, ok := m.files[r.URL.Path]
	m.hits[r.URL.Path]++
	m.mu.Unlock()

	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(data)
}

func (m *testMirror) put(path string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[path] = data
}

func (m *testMirror) hitCount(path string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits[path]
}

// publish writes a suite with one Packages index for amd64. The Release
// fields in extra are added to the signed Release file.
func (m *testMirror) publish(t *testing.T, suite, packages, extra string) {
	t.Helper()
	xzData := compress(t, ".xz", []byte(packages))
	sum := sha256hex(xzData)
	dist := "/debian/dists/" + suite

	release := fmt.Sprintf("Suite: %s\nCodename: %s\nDate: Sat, 11 Jul 2026 10:16:37 UTC\n"+
		"Acquire-By-Hash: yes\n%sSHA256:\n %s %d main/binary-amd64/Packages.xz\n",
		suite, suite, extra, sum, len(xzData))
	m.put(dist+"/InRelease", clearSign(t, m.key, release))
	m.put(dist+"/main/binary-amd64/by-hash/SHA256/"+sum, xzData)
}

func clearSign(t testing.TB, key *openpgp.Entity, text string) []byte {
	t.Helper()
	var b bytes.Buffer
	w, err := clearsign.Encode(&b, key.PrivateKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte(text)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sha256hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// packageStanza describes a .deb served by the test mirror.
func packageStanza(name, version, depends string, deb []byte) string {
	return fmt.Sprintf("Package: %s\nVersion: %s\nArchitecture: amd64\nPriority: required\nDepends: %s\n"+
		"Filename: pool/%s.deb\nSize: %d\nSHA256: %s\n\n", name, version, depends, name, len(deb), sha256hex(deb))
}

// mustContain fails unless err's message contains every part.
func mustContain(t *testing.T, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("err = nil, want an error containing %q", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("err = %q, want it to contain %q", err, p)
		}
	}
}
