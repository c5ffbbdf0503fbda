package rfb

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
)

// viewer is the client side of VNC authentication, as a native viewer does.
func viewer(t *testing.T, c net.Conn, password string) error {
	t.Helper()
	var v [12]byte
	if _, err := io.ReadFull(c, v[:]); err != nil {
		return err
	}
	c.Write([]byte("RFB 003.008\n"))
	var types [2]byte
	io.ReadFull(c, types[:])
	c.Write([]byte{securityVNCAuth})
	var ch [16]byte
	io.ReadFull(c, ch[:])
	resp := VNCAuthResponse(password, ch)
	c.Write(resp[:])
	var result [4]byte
	if _, err := io.ReadFull(c, result[:]); err != nil {
		return err
	}
	if result != [4]byte{} {
		return ErrAuthFailed
	}
	c.Write([]byte{1})
	return nil
}

func TestAcceptVNCAuth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, given string
		ok          bool
	}{
		{"right", "s3cret12", true},
		{"only eight characters count", "s3cret12-and-more", true},
		{"wrong", "s3cret13", false},
		{"empty", "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			server, client := net.Pipe()
			defer server.Close()
			errc := make(chan error, 1)
			go func() { errc <- viewer(t, client, tt.given); client.Close() }()

			shared, err := AcceptVNCAuth(server, "s3cret12")
			if tt.ok && (err != nil || !shared) {
				t.Fatalf("AcceptVNCAuth = %t, %v", shared, err)
			}
			if !tt.ok && !errors.Is(err, ErrAuthFailed) {
				t.Fatalf("AcceptVNCAuth err = %v, want ErrAuthFailed", err)
			}
			if verr := <-errc; (verr == nil) != tt.ok {
				t.Errorf("viewer saw %v", verr)
			}
		})
	}
}

// TestVNCAuthResponseUsesEightBytes checks that, as in every VNC server,
// only a password's first eight bytes count, and that the answer depends on
// the password at all.
func TestVNCAuthResponseUsesEightBytes(t *testing.T) {
	t.Parallel()
	got := VNCAuthResponse("password", [16]byte{})
	again := VNCAuthResponse("password\x00\x00", [16]byte{})
	if got != again {
		t.Error("bytes past the eighth changed the answer")
	}
	if other := VNCAuthResponse("passwore", [16]byte{}); other == got {
		t.Error("different passwords gave the same answer")
	}
}

func TestEncodeServerInitRoundTrip(t *testing.T) {
	t.Parallel()
	si := ServerInit{Width: 1280, Height: 800, Format: rgb32, Name: "mvm"}
	got, err := readServerInit(bytes.NewReader(EncodeServerInit(si)))
	if err != nil || got != si {
		t.Errorf("round trip = %+v, %v; want %+v", got, err, si)
	}
}

// FuzzAcceptVNCAuth feeds arbitrary viewer bytes: the gateway must refuse
// without panicking unless the response is right.
func FuzzAcceptVNCAuth(f *testing.F) {
	f.Add([]byte("RFB 003.008\n\x02" + string(make([]byte, 16)) + "\x01"))
	f.Add([]byte("RFB 003.003\n"))
	f.Add([]byte("RFB 003.008\n\x01"))
	f.Fuzz(func(t *testing.T, in []byte) {
		rw := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(in), io.Discard}
		if _, err := AcceptVNCAuth(rw, "s3cret12"); err == nil {
			t.Fatalf("accepted %q without the password's answer to a random challenge", in)
		}
	})
}
