package bootstrap

import (
	"archive/tar"
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// readDataTar finds the data.tar member of a .deb read from r and calls fn
// with a tar reader over its decompressed content.
func readDataTar(r io.Reader, fn func(*tar.Reader) error) error {
	ar, err := newArReader(r)
	if err != nil {
		return err
	}
	for {
		h, err := ar.Next()
		if err == io.EOF {
			return errors.New("no data.tar member")
		}
		if err != nil {
			return err
		}
		if h.Name == "debian-binary" {
			if err := checkDebVersion(ar); err != nil {
				return err
			}
			continue
		}
		if ext, ok := strings.CutPrefix(h.Name, "data.tar"); ok {
			return decompressed(ext, bufio.NewReaderSize(ar, 256<<10), func(r io.Reader) error {
				return fn(tar.NewReader(r))
			})
		}
	}
}

// checkDebVersion accepts format 2.x, the only .deb format there is.
func checkDebVersion(r io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(r, 16))
	if err != nil {
		return err
	}
	if !strings.HasPrefix(string(b), "2.") {
		return fmt.Errorf("unsupported .deb format %q", strings.TrimSpace(string(b)))
	}
	return nil
}

// decompressed calls fn with r decompressed according to the member's file
// extension.
func decompressed(ext string, r io.Reader, fn func(io.Reader) error) error {
	switch ext {
	case "":
		return fn(r)
	case ".xz":
		xr, err := xz.NewReader(r)
		if err != nil {
			return err
		}
		return fn(xr)
	case ".zst":
		zr, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return err
		}
		defer zr.Close()
		return fn(zr)
	case ".gz":
		gr, err := gzip.NewReader(r)
		if err != nil {
			return err
		}
		return fn(gr)
	case ".bz2":
		return fn(bzip2.NewReader(r))
	}
	return fmt.Errorf("unsupported data.tar compression %q", ext)
}
