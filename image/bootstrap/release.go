package bootstrap

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/ProtonMail/go-crypto/openpgp/clearsign"
)

// release is the signed description of one suite: its names, dates and the
// checksum of every index file it lists.
type release struct {
	Suite         string
	Codename      string
	Date          time.Time
	ValidUntil    time.Time
	AcquireByHash bool
	Files         map[string]fileRef
}

// fileRef is the size and SHA256 of a file listed in a Release file.
type fileRef struct {
	SHA256 string
	Size   int64
}

// verifyInRelease checks the OpenPGP signature of a clearsigned InRelease
// file against keyring and returns the signed text with the name of the key
// that signed it. Only the signed text may be parsed: anything around the
// signed block is attacker-controlled.
func verifyInRelease(data []byte, keyring openpgp.KeyRing) ([]byte, string, error) {
	block, _ := clearsign.Decode(data)
	if block == nil {
		return nil, "", errors.New("not an OpenPGP clearsigned file")
	}

	signer, err := block.VerifySignature(keyring, nil)
	if err != nil {
		return nil, "", err
	}
	return block.Plaintext, signerName(signer), nil
}

func signerName(e *openpgp.Entity) string {
	for name := range e.Identities {
		return name
	}
	return fmt.Sprintf("%X", e.PrimaryKey.Fingerprint)
}

// parseRelease parses the body of a Release file.
func parseRelease(r io.Reader) (*release, error) {
	p, err := newControlReader(r).next()
	if err == io.EOF {
		return nil, errors.New("empty Release file")
	}
	if err != nil {
		return nil, err
	}

	rel := &release{
		Suite:         p.get("Suite"),
		Codename:      p.get("Codename"),
		AcquireByHash: p.get("Acquire-By-Hash") == "yes",
	}
	if rel.Date, err = parseReleaseDate(p.get("Date")); err != nil {
		return nil, fmt.Errorf("field Date: %w", err)
	}
	if rel.ValidUntil, err = parseReleaseDate(p.get("Valid-Until")); err != nil {
		return nil, fmt.Errorf("field Valid-Until: %w", err)
	}
	if rel.Files, err = parseChecksums(p.get("SHA256")); err != nil {
		return nil, fmt.Errorf("field SHA256: %w", err)
	}
	return rel, nil
}

// parseReleaseDate reads the RFC 2822 dates of Release files; "" is the
// zero time.
func parseReleaseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC1123, time.RFC1123Z} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}

// parseChecksums parses lines of "<sha256> <size> <path>".
func parseChecksums(value string) (map[string]fileRef, error) {
	files := map[string]fileRef{}
	for _, line := range lines(value) {
		f := strings.Fields(line)
		if len(f) != 3 || !validSHA256(strings.ToLower(f[0])) {
			return nil, fmt.Errorf("invalid line %q", line)
		}
		size, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || size < 0 {
			return nil, fmt.Errorf("invalid size in line %q", line)
		}
		files[f[2]] = fileRef{SHA256: strings.ToLower(f[0]), Size: size}
	}
	return files, nil
}

// check rejects a Release file that is not for the suite asked for, or whose
// validity has run out: a mirror must not be able to replay an old, validly
// signed security suite, nor pass one suite off as another.
func (rel *release) check(suite string, now time.Time) error {
	if rel.Suite != suite && rel.Codename != suite {
		return fmt.Errorf("the Release file is for suite %q (%s), not %q", rel.Suite, rel.Codename, suite)
	}
	if !rel.ValidUntil.IsZero() && now.After(rel.ValidUntil) {
		return fmt.Errorf("the Release file expired on %s; the mirror is out of date",
			rel.ValidUntil.Format(time.DateOnly))
	}
	return nil
}
