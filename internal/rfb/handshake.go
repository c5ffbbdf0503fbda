package rfb

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// PixelFormat is the RFB pixel format of a framebuffer.
type PixelFormat struct {
	BitsPerPixel uint8
	Depth        uint8
	BigEndian    bool
	TrueColor    bool
	RedMax       uint16
	GreenMax     uint16
	BlueMax      uint16
	RedShift     uint8
	GreenShift   uint8
	BlueShift    uint8
}

// ServerInit is what the server says about its desktop once the handshake is
// done.
type ServerInit struct {
	Width, Height uint16
	Format        PixelFormat
	Name          string
}

// Limits that keep a hostile or broken peer from making the client allocate
// without bound.
const (
	maxReasonLen = 4096
	maxNameLen   = 4096
	maxCutText   = 1 << 20
	maxDimension = 8192
)

// securityNone is the RFB security type without authentication. The desktop's
// own VNC server is only reachable through the agent, which checks the token.
const securityNone = 1

// ErrNoneRefused is returned when the server does not offer security type
// None, for example a VNC server that asks for a password.
var ErrNoneRefused = errors.New("server does not offer security type None")

// Conn is an RFB client connection after a successful handshake.
type Conn struct {
	r    *bufio.Reader
	w    io.Writer
	Init ServerInit
}

// Handshake runs the RFB 3.8 handshake with security type None over rw and
// reads the server's ServerInit. Deadlines are the caller's: set them on the
// underlying connection.
func Handshake(rw io.ReadWriter) (*Conn, error) {
	c := &Conn{r: bufio.NewReaderSize(rw, 64<<10), w: rw}

	if err := c.exchangeVersion(); err != nil {
		return nil, err
	}
	if err := c.negotiateSecurity(); err != nil {
		return nil, err
	}
	if _, err := c.w.Write([]byte{1}); err != nil { // ClientInit: shared session
		return nil, fmt.Errorf("send ClientInit: %w", err)
	}

	init, err := readServerInit(c.r)
	if err != nil {
		return nil, err
	}
	c.Init = init
	return c, nil
}

func (c *Conn) exchangeVersion() error {
	var v [12]byte
	if _, err := io.ReadFull(c.r, v[:]); err != nil {
		return fmt.Errorf("read protocol version: %w", err)
	}

	var major, minor int
	if _, err := fmt.Sscanf(string(v[:]), "RFB %03d.%03d\n", &major, &minor); err != nil {
		return fmt.Errorf("not an RFB server: greeting %q", v[:])
	}
	if major != 3 || minor < 8 {
		return fmt.Errorf("unsupported RFB version %d.%d (need 3.8)", major, minor)
	}

	_, err := c.w.Write([]byte("RFB 003.008\n"))
	return err
}

func (c *Conn) negotiateSecurity() error {
	n, err := c.r.ReadByte()
	if err != nil {
		return fmt.Errorf("read security types: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("server refused the connection: %s", readReason(c.r))
	}

	types := make([]byte, n)
	if _, err := io.ReadFull(c.r, types); err != nil {
		return fmt.Errorf("read security types: %w", err)
	}
	if !contains(types, securityNone) {
		return fmt.Errorf("%w (offered %v)", ErrNoneRefused, types)
	}
	if _, err := c.w.Write([]byte{securityNone}); err != nil {
		return fmt.Errorf("choose security type: %w", err)
	}

	var result uint32
	if err := binary.Read(c.r, binary.BigEndian, &result); err != nil {
		return fmt.Errorf("read security result: %w", err)
	}
	if result != 0 {
		return fmt.Errorf("security handshake failed: %s", readReason(c.r))
	}
	return nil
}

func contains(b []byte, v byte) bool {
	for _, x := range b {
		if x == v {
			return true
		}
	}
	return false
}

// readReason reads a length-prefixed failure reason; a broken one is reported
// as such rather than hiding the refusal behind a read error.
func readReason(r io.Reader) string {
	var n uint32
	if err := binary.Read(r, binary.BigEndian, &n); err != nil || n > maxReasonLen {
		return "(no reason given)"
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return "(no reason given)"
	}
	return string(b)
}

func readServerInit(r io.Reader) (ServerInit, error) {
	var hdr [24]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return ServerInit{}, fmt.Errorf("read ServerInit: %w", err)
	}

	si := ServerInit{
		Width:  binary.BigEndian.Uint16(hdr[0:2]),
		Height: binary.BigEndian.Uint16(hdr[2:4]),
		Format: decodePixelFormat(hdr[4:20]),
	}
	if si.Width == 0 || si.Height == 0 || si.Width > maxDimension || si.Height > maxDimension {
		return ServerInit{}, fmt.Errorf("implausible framebuffer size %dx%d", si.Width, si.Height)
	}

	n := binary.BigEndian.Uint32(hdr[20:24])
	if n > maxNameLen {
		return ServerInit{}, fmt.Errorf("desktop name of %d bytes is too long", n)
	}
	name := make([]byte, n)
	if _, err := io.ReadFull(r, name); err != nil {
		return ServerInit{}, fmt.Errorf("read desktop name: %w", err)
	}
	si.Name = string(name)
	return si, nil
}

func decodePixelFormat(b []byte) PixelFormat {
	return PixelFormat{
		BitsPerPixel: b[0],
		Depth:        b[1],
		BigEndian:    b[2] != 0,
		TrueColor:    b[3] != 0,
		RedMax:       binary.BigEndian.Uint16(b[4:6]),
		GreenMax:     binary.BigEndian.Uint16(b[6:8]),
		BlueMax:      binary.BigEndian.Uint16(b[8:10]),
		RedShift:     b[10],
		GreenShift:   b[11],
		BlueShift:    b[12],
	}
}

func encodePixelFormat(f PixelFormat) []byte {
	b := make([]byte, 16)
	b[0], b[1] = f.BitsPerPixel, f.Depth
	b[2], b[3] = boolByte(f.BigEndian), boolByte(f.TrueColor)
	binary.BigEndian.PutUint16(b[4:6], f.RedMax)
	binary.BigEndian.PutUint16(b[6:8], f.GreenMax)
	binary.BigEndian.PutUint16(b[8:10], f.BlueMax)
	b[10], b[11], b[12] = f.RedShift, f.GreenShift, f.BlueShift
	return b
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}
