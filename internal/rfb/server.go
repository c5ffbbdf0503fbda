package rfb

import (
	"bufio"
	"crypto/des"
	"crypto/rand"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// securityVNCAuth is the classic VNC password authentication: a DES
// encrypted challenge, with a password of at most eight characters.
const securityVNCAuth = 2

// ErrAuthFailed is returned when a viewer answers the challenge wrongly.
var ErrAuthFailed = errors.New("VNC authentication failed")

// AcceptVNCAuth runs the server side of the RFB 3.8 handshake on rw,
// requiring VNC authentication with password, and returns the viewer's
// ClientInit shared flag. It writes the security result, so on failure the
// viewer learns why.
func AcceptVNCAuth(rw io.ReadWriter, password string) (shared bool, err error) {
	r := bufio.NewReader(rw)
	if _, err := rw.Write([]byte("RFB 003.008\n")); err != nil {
		return false, err
	}
	var v [12]byte
	if _, err := io.ReadFull(r, v[:]); err != nil {
		return false, fmt.Errorf("read viewer version: %w", err)
	}
	var major, minor int
	if _, err := fmt.Sscanf(string(v[:]), "RFB %03d.%03d\n", &major, &minor); err != nil || major != 3 || minor < 7 {
		return false, fmt.Errorf("viewer speaks %q; RFB 3.7 or later is needed", v[:])
	}

	if _, err := rw.Write([]byte{1, securityVNCAuth}); err != nil {
		return false, err
	}
	choice, err := r.ReadByte()
	if err != nil || choice != securityVNCAuth {
		return false, fmt.Errorf("viewer chose security type %d, not VNC authentication", choice)
	}
	if err := challenge(r, rw, password); err != nil {
		return false, err
	}

	flag, err := r.ReadByte()
	if err != nil {
		return false, fmt.Errorf("read ClientInit: %w", err)
	}
	return flag != 0, nil
}

func challenge(r io.Reader, w io.Writer, password string) error {
	var ch, resp [16]byte
	if _, err := rand.Read(ch[:]); err != nil {
		return err
	}
	if _, err := w.Write(ch[:]); err != nil {
		return err
	}
	if _, err := io.ReadFull(r, resp[:]); err != nil {
		return fmt.Errorf("read challenge response: %w", err)
	}

	want := VNCAuthResponse(password, ch)
	if subtle.ConstantTimeCompare(want[:], resp[:]) != 1 {
		reason := "authentication failed"
		msg := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 1}, uint32(len(reason)))
		_, _ = w.Write(append(msg, reason...))
		return ErrAuthFailed
	}
	_, err := w.Write([]byte{0, 0, 0, 0})
	return err
}

// VNCAuthResponse is the answer to a VNC authentication challenge: the
// challenge encrypted with DES, keyed by the password's first eight bytes
// with the bits of each byte reversed, as the protocol has always done.
func VNCAuthResponse(password string, challenge [16]byte) [16]byte {
	var key [8]byte
	copy(key[:], password)
	for i, b := range key {
		key[i] = bits.Reverse8(b)
	}
	block, _ := des.NewCipher(key[:]) // an 8-byte key never fails
	var out [16]byte
	block.Encrypt(out[:8], challenge[:8])
	block.Encrypt(out[8:], challenge[8:])
	return out
}

// EncodeServerInit renders si as the protocol's ServerInit message, so that
// a gateway can hand a viewer what the real server said.
func EncodeServerInit(si ServerInit) []byte {
	b := binary.BigEndian.AppendUint16(nil, si.Width)
	b = binary.BigEndian.AppendUint16(b, si.Height)
	b = append(b, encodePixelFormat(si.Format)...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(si.Name)))
	return append(b, si.Name...)
}

// Reader returns the connection's buffered reader: bytes the server sent
// after ServerInit may already sit in its buffer.
func (c *Conn) Reader() io.Reader { return c.r }
