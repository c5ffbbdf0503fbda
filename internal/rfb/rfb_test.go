package rfb

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// script is a fake server: it answers with a fixed byte stream and records
// what the client wrote.
type script struct {
	r       io.Reader
	written bytes.Buffer
}

func (s *script) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s *script) Write(p []byte) (int, error) { return s.written.Write(p) }

// serverInit builds a ServerInit for a w×h screen named name.
func serverInit(w, h uint16, name string) []byte {
	b := binary.BigEndian.AppendUint16(nil, w)
	b = binary.BigEndian.AppendUint16(b, h)
	b = append(b, encodePixelFormat(rgb32)...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(name)))
	return append(b, name...)
}

// greeting is a server that offers security type None and accepts it.
func greeting(w, h uint16) []byte {
	b := []byte("RFB 003.008\n")
	b = append(b, 1, securityNone)
	b = append(b, 0, 0, 0, 0)
	return append(b, serverInit(w, h, "test")...)
}

// rawUpdate is a FramebufferUpdate of one Raw rectangle covering w×h, filled
// by pixel.
func rawUpdate(w, h uint16, pixel func(x, y int) uint32) []byte {
	b := []byte{msgFramebufferUpdate, 0, 0, 1}
	b = append(b, 0, 0, 0, 0)
	b = binary.BigEndian.AppendUint16(b, w)
	b = binary.BigEndian.AppendUint16(b, h)
	b = append(b, 0, 0, 0, 0)
	for y := 0; y < int(h); y++ {
		for x := 0; x < int(w); x++ {
			b = binary.LittleEndian.AppendUint32(b, pixel(x, y))
		}
	}
	return b
}

func TestFirstFrame(t *testing.T) {
	t.Parallel()
	stream := greeting(4, 3)
	stream = append(stream, msgBell)
	stream = append(stream, msgServerCutText, 0, 0, 0, 0, 0, 0, 2, 'h', 'i')
	stream = append(stream, rawUpdate(4, 3, func(x, y int) uint32 { return uint32(x + 10*y) })...)
	s := &script{r: bytes.NewReader(stream)}

	c, err := Handshake(s)
	if err != nil {
		t.Fatalf("Handshake: %v", err)
	}
	if c.Init.Width != 4 || c.Init.Height != 3 || c.Init.Name != "test" {
		t.Errorf("ServerInit = %+v", c.Init)
	}
	f, err := c.FirstFrame()
	if err != nil {
		t.Fatalf("FirstFrame: %v", err)
	}
	if f.Pixels[2*4+3] != 23 {
		t.Errorf("pixel (3,2) = %d, want 23", f.Pixels[2*4+3])
	}
	if n := f.Colors(64); n != 12 {
		t.Errorf("Colors = %d, want 12", n)
	}
	if !strings.HasPrefix(s.written.String(), "RFB 003.008\n\x01\x01") {
		t.Errorf("client wrote %q, want version, security None, shared ClientInit", s.written.Bytes()[:14])
	}
}

func TestHandshakeRefusals(t *testing.T) {
	t.Parallel()
	reason := func(s string) []byte {
		return append(binary.BigEndian.AppendUint32(nil, uint32(len(s))), s...)
	}
	tests := []struct {
		name   string
		stream []byte
		want   string
	}{
		{"not rfb", []byte("HTTP/1.1 200\n"), "not an RFB server"},
		{"old version", []byte("RFB 003.003\n"), "unsupported RFB version"},
		{"refused", append([]byte("RFB 003.008\n\x00"), reason("too many")...), "too many"},
		{"password only", []byte("RFB 003.008\n\x01\x02"), ErrNoneRefused.Error()},
		{"security failed", append([]byte("RFB 003.008\n\x01\x01\x00\x00\x00\x01"), reason("denied")...), "denied"},
		{"huge screen", append([]byte("RFB 003.008\n\x01\x01\x00\x00\x00\x00"), serverInit(60000, 10, "x")...), "implausible"},
		{"cut short", []byte("RFB 003.008\n\x01"), "EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Handshake(&script{r: bytes.NewReader(tt.stream)})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Handshake error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestFirstFrameRejectsBadRectangles(t *testing.T) {
	t.Parallel()
	outside := greeting(2, 2)
	outside = append(outside, rawUpdate(3, 3, func(int, int) uint32 { return 0 })...)
	notRaw := greeting(2, 2)
	notRaw = append(notRaw, msgFramebufferUpdate, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 7)

	for name, stream := range map[string][]byte{"outside": outside, "not raw": notRaw} {
		c, err := Handshake(&script{r: bytes.NewReader(stream)})
		if err != nil {
			t.Fatalf("%s: Handshake: %v", name, err)
		}
		if _, err := c.FirstFrame(); err == nil {
			t.Errorf("%s: FirstFrame accepted a bad rectangle", name)
		}
	}
}

// FuzzClient feeds arbitrary server bytes to the client: it must fail
// cleanly, never panic, and never allocate more than its limits allow.
func FuzzClient(f *testing.F) {
	f.Add(append(greeting(2, 2), rawUpdate(2, 2, func(x, y int) uint32 { return uint32(x) })...))
	f.Add([]byte("RFB 003.008\n\x00\x00\x00\x00\x05hello"))
	f.Add(append(greeting(1, 1), msgServerCutText, 0, 0, 0, 0xff, 0xff, 0xff, 0xff))
	f.Add(append(greeting(1, 1), msgSetColourMapEntries, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6))

	f.Fuzz(func(t *testing.T, stream []byte) {
		c, err := Handshake(&script{r: bytes.NewReader(stream)})
		if err != nil {
			return
		}
		if int(c.Init.Width) > maxDimension || int(c.Init.Height) > maxDimension {
			t.Fatalf("accepted a %dx%d screen", c.Init.Width, c.Init.Height)
		}
		if f, err := c.FirstFrame(); err == nil && len(f.Pixels) != f.Width*f.Height {
			t.Fatalf("frame has %d pixels for %dx%d", len(f.Pixels), f.Width, f.Height)
		} else if err != nil && errors.Is(err, io.ErrShortBuffer) {
			t.Fatal(err)
		}
	})
}
