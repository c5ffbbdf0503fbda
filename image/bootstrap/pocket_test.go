package bootstrap

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/google/go-cmp/cmp"
)

var testNow = time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)

func TestLoadPocket(t *testing.T) {
	t.Parallel()
	m := newTestMirror(t)
	m.publish(t, "bookworm", packageStanza("hello", "1.0", "libc6", []byte("deb")), "")

	f := &fetcher{client: m.Client()}
	pk := pocket{Mirror: m.URL + "/debian", Suite: "bookworm"}
	got, err := loadPocket(context.Background(), f, openpgp.EntityList{m.key}, pk, "amd64", testNow)
	if err != nil {
		t.Fatal(err)
	}

	if diff := cmp.Diff([]string{"hello=1.0"}, versions(got.Packages)); diff != "" {
		t.Errorf("packages (-want +got):\n%s", diff)
	}
	if got.Packages[0].Mirror != pk.Mirror {
		t.Errorf("mirror = %q, want %q", got.Packages[0].Mirror, pk.Mirror)
	}
	if got.Signer != "Test Archive Key <archive@example.invalid>" {
		t.Errorf("signer = %q", got.Signer)
	}
}

func TestLoadPocketFailures(t *testing.T) {
	t.Parallel()
	m := newTestMirror(t)
	stanza := packageStanza("hello", "1.0", "", []byte("deb"))
	m.publish(t, "bookworm", stanza, "")
	m.publish(t, "expired", stanza, "Valid-Until: Sat, 18 Jul 2026 10:16:37 UTC\n")
	m.publish(t, "tampered", stanza, "")
	for path := range m.files {
		if strings.HasPrefix(path, "/debian/dists/tampered/main/") {
			m.put(path, compress(t, ".xz", []byte(stanza+"\n"+stanza)))
		}
	}
	mirror := m.URL + "/debian"

	tests := []struct {
		name    string
		mirror  string
		suite   string
		arch    string
		keyring openpgp.EntityList
		want    []string
	}{
		{name: "unknown key", mirror: mirror, suite: "bookworm", arch: "amd64",
			keyring: openpgp.EntityList{newTestKey(t)},
			want:    []string{"verify the signature of " + mirror + "/dists/bookworm/InRelease", "unknown"}},
		{name: "tampered index", mirror: mirror, suite: "tampered", arch: "amd64", keyring: openpgp.EntityList{m.key},
			want: []string{"verify " + mirror + "/dists/tampered/main/binary-amd64/by-hash/SHA256/", "checksum mismatch"}},
		{name: "expired", mirror: mirror, suite: "expired", arch: "amd64", keyring: openpgp.EntityList{m.key},
			want: []string{"expired on 2026-07-18"}},
		{name: "missing suite", mirror: mirror, suite: "nosuch", arch: "amd64", keyring: openpgp.EntityList{m.key},
			want: []string{mirror + "/dists/nosuch/InRelease: 404", "--mirror"}},
		{name: "missing architecture", mirror: mirror, suite: "bookworm", arch: "arm64",
			keyring: openpgp.EntityList{m.key}, want: []string{"does not carry architecture arm64"}},
		{name: "unreachable", mirror: "http://127.0.0.1:1/debian", suite: "bookworm", arch: "amd64",
			keyring: openpgp.EntityList{m.key},
			want:    []string{"fetch http://127.0.0.1:1/debian/dists/bookworm/InRelease", "is the mirror reachable", "--mirror"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fetcher{client: m.Client()}
			pk := pocket{Mirror: tt.mirror, Suite: tt.suite}
			_, err := loadPocket(context.Background(), f, tt.keyring, pk, tt.arch, testNow)
			mustContain(t, err, tt.want...)
		})
	}
}

func TestLoadPocketChecksumErrorType(t *testing.T) {
	t.Parallel()
	m := newTestMirror(t)
	m.publish(t, "bookworm", packageStanza("hello", "1.0", "", []byte("deb")), "")
	for path := range m.files {
		if path != "/debian/dists/bookworm/InRelease" {
			m.put(path, []byte("not what was signed"))
		}
	}

	f := &fetcher{client: m.Client()}
	pk := pocket{Mirror: m.URL + "/debian", Suite: "bookworm"}
	_, err := loadPocket(context.Background(), f, openpgp.EntityList{m.key}, pk, "amd64", testNow)
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ChecksumError", err)
	}
}

func TestReleaseCheckSuite(t *testing.T) {
	t.Parallel()
	rel := &release{Suite: "oldstable", Codename: "bookworm"}
	for _, suite := range []string{"oldstable", "bookworm"} {
		if err := rel.check(suite, testNow); err != nil {
			t.Errorf("check(%q) = %v", suite, err)
		}
	}
	mustContain(t, rel.check("trixie", testNow), `for suite "oldstable" (bookworm), not "trixie"`)
}

// TestDebianKeysVerifyRealInRelease checks the embedded archive keys against
// an InRelease file as Debian's mirror served it.
func TestDebianKeysVerifyRealInRelease(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/bookworm-InRelease")
	if err != nil {
		t.Fatal(err)
	}
	keyring, err := debianKeyring()
	if err != nil {
		t.Fatal(err)
	}

	text, signer, err := verifyInRelease(data, keyring)
	if err != nil {
		t.Fatalf("verify real InRelease: %v", err)
	}
	if signer != "Debian Archive Automatic Signing Key (12/bookworm) <ftpmaster@debian.org>" {
		t.Errorf("signer = %q", signer)
	}
	rel, err := parseRelease(bytesReader(text))
	if err != nil {
		t.Fatal(err)
	}
	if rel.Codename != "bookworm" || !rel.AcquireByHash || rel.Date.IsZero() {
		t.Errorf("release = %+v", rel)
	}
	if _, ok := rel.Files["main/binary-amd64/Packages.xz"]; !ok {
		t.Error("main/binary-amd64/Packages.xz is not listed")
	}

	tampered := bytesReplaceOnce(data, "Codename: bookworm", "Codename: bookwurm")
	if _, _, err := verifyInRelease(tampered, keyring); err == nil {
		t.Error("a tampered InRelease verified")
	}
}
