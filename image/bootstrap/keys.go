package bootstrap

import (
	"bytes"
	"embed"
	"fmt"
	"io"
	"io/fs"

	"github.com/ProtonMail/go-crypto/openpgp"
)

// archiveKeys holds Debian's archive signing keys for bookworm and trixie, as
// shipped by Debian's debian-archive-keyring package.
//
//go:embed keys/*.gpg
var archiveKeys embed.FS

// debianKeyring returns the embedded Debian archive keys as one keyring.
func debianKeyring() (openpgp.EntityList, error) {
	files, err := fs.Glob(archiveKeys, "keys/*.gpg")
	if err != nil {
		return nil, err
	}

	var ring openpgp.EntityList
	for _, name := range files {
		data, err := archiveKeys.ReadFile(name)
		if err != nil {
			return nil, err
		}
		keys, err := readKeyring(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("read embedded key %s: %w", name, err)
		}
		ring = append(ring, keys...)
	}
	return ring, nil
}

// readKeyring reads OpenPGP public keys, binary or ASCII-armoured.
func readKeyring(r io.Reader) (openpgp.EntityList, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN PGP")) {
		return openpgp.ReadArmoredKeyRing(bytes.NewReader(data))
	}
	return openpgp.ReadKeyRing(bytes.NewReader(data))
}
