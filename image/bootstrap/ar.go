package bootstrap

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// arMagic starts every ar archive, and so every .deb.
const arMagic = "!<arch>\n"

// arHeaderSize is the size of the fixed header before each ar member.
const arHeaderSize = 60

// arReader reads the members of an ar archive, the container format of a
// .deb, in order. After Next, Read returns the member's content.
type arReader struct {
	r       io.Reader
	left    int64 // unread bytes of the current member
	padding bool  // an odd-sized member is followed by one byte of padding
}

// arHeader describes one member of an ar archive.
type arHeader struct {
	Name string
	Size int64
}

// newArReader checks the archive's magic and returns a reader positioned
// before the first member.
func newArReader(r io.Reader) (*arReader, error) {
	magic := make([]byte, len(arMagic))
	if _, err := io.ReadFull(r, magic); err != nil {
		return nil, fmt.Errorf("read ar magic: %w", err)
	}
	if string(magic) != arMagic {
		return nil, errors.New("not an ar archive")
	}
	return &arReader{r: r}, nil
}

// Next skips what is left of the current member and returns the next
// member's header, or io.EOF after the last member.
func (a *arReader) Next() (*arHeader, error) {
	skip := a.left
	if a.padding {
		skip++
	}
	if _, err := io.CopyN(io.Discard, a.r, skip); err != nil {
		return nil, unexpected(err)
	}
	a.left, a.padding = 0, false

	var buf [arHeaderSize]byte
	if _, err := io.ReadFull(a.r, buf[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, unexpected(err)
	}
	h, err := parseArHeader(buf[:])
	if err != nil {
		return nil, err
	}
	a.left, a.padding = h.Size, h.Size%2 == 1
	return h, nil
}

// Read reads from the current member.
func (a *arReader) Read(p []byte) (int, error) {
	if a.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > a.left {
		p = p[:a.left]
	}
	n, err := a.r.Read(p)
	a.left -= int64(n)
	if err == io.EOF && a.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// parseArHeader reads the fields a .deb needs from a 60-byte member header:
// name (16 bytes), mtime, uid, gid, mode, size (10 bytes) and "`\n".
func parseArHeader(b []byte) (*arHeader, error) {
	if string(b[58:60]) != "`\n" {
		return nil, errors.New("corrupt ar member header")
	}
	name := strings.TrimSuffix(strings.TrimRight(string(b[0:16]), " "), "/")
	size, err := strconv.ParseInt(strings.TrimRight(string(b[48:58]), " "), 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("ar member %q has an invalid size", name)
	}
	return &arHeader{Name: name, Size: size}, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
