package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ulikunitz/xz"
)

// maxInRelease bounds the InRelease download; Debian's are about 150 kB.
const maxInRelease = 16 << 20

// pocket is one suite on one mirror: the release itself, its -updates, or
// its -security suite on the security mirror.
type pocket struct {
	Mirror string
	Suite  string
}

// pocketIndex is what a pocket contributes: its verified Release and the
// packages of its main component.
type pocketIndex struct {
	Release  *release
	Signer   string
	Packages []*Package
}

// loadPocket fetches, verifies and parses the main component of one pocket
// for one architecture.
func loadPocket(
	ctx context.Context,
	f *fetcher,
	keyring openpgp.KeyRing,
	pk pocket,
	arch string,
	now time.Time,
) (*pocketIndex, error) {
	dist := pk.Mirror + "/dists/" + pk.Suite
	rel, signer, err := fetchRelease(ctx, f, keyring, dist, pk.Suite, now)
	if err != nil {
		return nil, err
	}

	path := "main/binary-" + arch + "/Packages.xz"
	ref, ok := rel.Files[path]
	if !ok {
		return nil, fmt.Errorf("%s/InRelease lists no %s: the suite does not carry architecture %s",
			dist, path, arch)
	}
	data, err := f.getVerified(ctx, indexURL(dist, path, ref, rel.AcquireByHash), ref)
	if err != nil {
		return nil, err
	}

	pkgs, err := decodePackages(data, pk.Mirror)
	if err != nil {
		return nil, fmt.Errorf("parse %s/%s: %w", dist, path, err)
	}
	return &pocketIndex{Release: rel, Signer: signer, Packages: pkgs}, nil
}

// fetchRelease downloads dist/InRelease, checks its signature and that it
// describes suite, and parses it.
func fetchRelease(
	ctx context.Context,
	f *fetcher,
	keyring openpgp.KeyRing,
	dist, suite string,
	now time.Time,
) (*release, string, error) {
	url := dist + "/InRelease"
	data, err := f.getLimited(ctx, url, maxInRelease)
	if err != nil {
		return nil, "", err
	}

	text, signer, err := verifyInRelease(data, keyring)
	if err != nil {
		return nil, "", fmt.Errorf("verify the signature of %s against Debian's archive keys"+
			" (a tampered or misconfigured mirror, or a suite signed by keys newer than this program): %w", url, err)
	}
	rel, err := parseRelease(bytes.NewReader(text))
	if err != nil {
		return nil, "", fmt.Errorf("parse %s: %w", url, err)
	}
	if err := rel.check(suite, now); err != nil {
		return nil, "", fmt.Errorf("check %s: %w", url, err)
	}
	return rel, signer, nil
}

// indexURL prefers the by-hash location, which stays consistent while the
// mirror updates the suite between our two downloads.
func indexURL(dist, path string, ref fileRef, byHash bool) string {
	if !byHash {
		return dist + "/" + path
	}
	dir := path[:strings.LastIndexByte(path, '/')]
	return dist + "/" + dir + "/by-hash/SHA256/" + ref.SHA256
}

func decodePackages(data []byte, mirror string) ([]*Package, error) {
	r, err := xz.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return readPackages(r, mirror)
}
