package rfb

import (
	"encoding/binary"
	"fmt"
	"io"
)

// Frame is the first full framebuffer the server sent, in 32-bit true colour,
// little-endian, as requested by [Conn.FirstFrame].
type Frame struct {
	Width, Height int
	// Pixels holds Width*Height pixels as 0x00RRGGBB.
	Pixels []uint32
}

// rgb32 is the pixel format the client asks for, so that decoding is the same
// whatever the server's native format is.
var rgb32 = PixelFormat{
	BitsPerPixel: 32, Depth: 24, TrueColor: true,
	RedMax: 255, GreenMax: 255, BlueMax: 255,
	RedShift: 16, GreenShift: 8, BlueShift: 0,
}

// Message types of the protocol, client to server and server to client.
const (
	msgSetPixelFormat      = 0
	msgSetEncodings        = 2
	msgFramebufferRequest  = 3
	msgFramebufferUpdate   = 0
	msgSetColourMapEntries = 1
	msgBell                = 2
	msgServerCutText       = 3
	encodingRaw            = 0
)

// FirstFrame asks for the whole screen in Raw encoding and returns it once
// every rectangle of the first FramebufferUpdate has arrived.
func (c *Conn) FirstFrame() (*Frame, error) {
	if err := c.requestRaw(); err != nil {
		return nil, err
	}

	f := &Frame{Width: int(c.Init.Width), Height: int(c.Init.Height)}
	for {
		t, err := c.r.ReadByte()
		if err != nil {
			return nil, fmt.Errorf("read server message: %w", err)
		}
		done, err := c.handle(t, f)
		if err != nil {
			return nil, err
		}
		if done {
			if f.Pixels == nil {
				f.Pixels = make([]uint32, f.Width*f.Height)
			}
			return f, nil
		}
	}
}

func (c *Conn) requestRaw() error {
	msg := []byte{msgSetPixelFormat, 0, 0, 0}
	msg = append(msg, encodePixelFormat(rgb32)...)
	msg = append(msg, msgSetEncodings, 0, 0, 1, 0, 0, 0, encodingRaw)
	msg = append(msg, msgFramebufferRequest, 0, 0, 0, 0, 0)
	msg = binary.BigEndian.AppendUint16(msg, c.Init.Width)
	msg = binary.BigEndian.AppendUint16(msg, c.Init.Height)

	if _, err := c.w.Write(msg); err != nil {
		return fmt.Errorf("request framebuffer: %w", err)
	}
	return nil
}

// handle reads the body of one server message of type t. It reports true once
// a FramebufferUpdate has been read into f.
func (c *Conn) handle(t byte, f *Frame) (bool, error) {
	switch t {
	case msgFramebufferUpdate:
		return true, readUpdate(c.r, f)
	case msgSetColourMapEntries:
		return false, skipColourMap(c.r)
	case msgBell:
		return false, nil
	case msgServerCutText:
		return false, skipCutText(c.r)
	default:
		return false, fmt.Errorf("unexpected server message type %d", t)
	}
}

func readUpdate(r io.Reader, f *Frame) error {
	var hdr [3]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return fmt.Errorf("read FramebufferUpdate: %w", err)
	}

	n := int(binary.BigEndian.Uint16(hdr[1:3]))
	for i := 0; i < n; i++ {
		if err := readRect(r, f); err != nil {
			return fmt.Errorf("rectangle %d of %d: %w", i+1, n, err)
		}
	}
	return nil
}

func readRect(r io.Reader, f *Frame) error {
	var hdr [12]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}

	x := int(binary.BigEndian.Uint16(hdr[0:2]))
	y := int(binary.BigEndian.Uint16(hdr[2:4]))
	w := int(binary.BigEndian.Uint16(hdr[4:6]))
	h := int(binary.BigEndian.Uint16(hdr[6:8]))
	enc := int32(binary.BigEndian.Uint32(hdr[8:12]))

	if enc != encodingRaw {
		return fmt.Errorf("server sent encoding %d, only Raw was asked for", enc)
	}
	if x+w > f.Width || y+h > f.Height {
		return fmt.Errorf("rectangle %dx%d+%d+%d outside the %dx%d screen", w, h, x, y, f.Width, f.Height)
	}
	if f.Pixels == nil {
		// Allocated only once the server sends pixels, not on its word.
		f.Pixels = make([]uint32, f.Width*f.Height)
	}
	return readRaw(r, f, x, y, w, h)
}

func readRaw(r io.Reader, f *Frame, x, y, w, h int) error {
	row := make([]byte, 4*w)
	for j := 0; j < h; j++ {
		if _, err := io.ReadFull(r, row); err != nil {
			return fmt.Errorf("read pixels: %w", err)
		}
		dst := f.Pixels[(y+j)*f.Width+x:]
		for i := 0; i < w; i++ {
			dst[i] = binary.LittleEndian.Uint32(row[4*i:]) & 0xffffff
		}
	}
	return nil
}

func skipColourMap(r io.Reader) error {
	var hdr [5]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := int64(binary.BigEndian.Uint16(hdr[3:5]))
	_, err := io.CopyN(io.Discard, r, 6*n)
	return err
}

func skipCutText(r io.Reader) error {
	var hdr [7]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[3:7])
	if n > maxCutText {
		return fmt.Errorf("clipboard text of %d bytes is too long", n)
	}
	_, err := io.CopyN(io.Discard, r, int64(n))
	return err
}

// Colors counts the distinct colours of the frame, up to limit. A blank
// screen has one.
func (f *Frame) Colors(limit int) int {
	seen := make(map[uint32]struct{}, limit)
	for _, p := range f.Pixels {
		seen[p] = struct{}{}
		if len(seen) >= limit {
			break
		}
	}
	return len(seen)
}
