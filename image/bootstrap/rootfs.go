package bootstrap

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"path"
	"time"
)

// rootfsWriter writes a root filesystem as one tar stream. It writes each
// directory once, creates missing parent directories, and maps package paths
// onto merged /usr.
type rootfsWriter struct {
	tw    *tar.Writer
	merge usrMerge
	mtime time.Time
	seen  map[string]byte // path → tar type flag written
}

func newRootfsWriter(w io.Writer, merge usrMerge, mtime time.Time) *rootfsWriter {
	return &rootfsWriter{tw: tar.NewWriter(w), merge: merge, mtime: mtime, seen: map[string]byte{}}
}

// Close finishes the tar stream.
func (w *rootfsWriter) Close() error { return w.tw.Close() }

// layout writes the merged-/usr skeleton: the real directories under /usr and
// the top-level links to them.
func (w *rootfsWriter) layout() error {
	for _, a := range w.merge.aliases {
		if err := w.dir("usr/"+a, 0o755); err != nil {
			return err
		}
		if err := w.symlink(a, "usr/"+a); err != nil {
			return err
		}
	}
	return nil
}

func (w *rootfsWriter) dir(name string, mode int64) error {
	return w.write(&tar.Header{Typeflag: tar.TypeDir, Name: name, Mode: mode}, nil)
}

func (w *rootfsWriter) symlink(name, target string) error {
	return w.write(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}, nil)
}

// file writes a regular file owned by root.
func (w *rootfsWriter) file(name string, mode int64, data []byte) error {
	h := &tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(data))}
	return w.write(h, bytes.NewReader(data))
}

// copyFile writes a regular file whose content comes from r.
func (w *rootfsWriter) copyFile(name string, mode, size int64, r io.Reader) error {
	return w.write(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: size}, r)
}

// write writes one entry. A directory already written is skipped; a later
// file at a path replaces the earlier one when the stream is unpacked.
func (w *rootfsWriter) write(h *tar.Header, body io.Reader) error {
	if h.Typeflag == tar.TypeDir && w.seen[h.Name] == tar.TypeDir {
		return nil
	}
	if err := w.parents(h.Name); err != nil {
		return err
	}
	if h.ModTime.IsZero() {
		h.ModTime = w.mtime
	}
	if h.Typeflag == tar.TypeDir {
		h.Name += "/"
	}
	if err := w.tw.WriteHeader(h); err != nil {
		return err
	}
	if h.Typeflag == tar.TypeDir {
		h.Name = h.Name[:len(h.Name)-1]
	}
	w.seen[h.Name] = h.Typeflag

	if body != nil && h.Size > 0 {
		if _, err := io.CopyN(w.tw, body, h.Size); err != nil {
			return fmt.Errorf("write %s: %w", h.Name, err)
		}
	}
	return nil
}

// parents writes the missing parent directories of name.
func (w *rootfsWriter) parents(name string) error {
	dir := path.Dir(name)
	if dir == "." || w.seen[dir] != 0 {
		return nil
	}
	return w.dir(dir, 0o755)
}

// addPackage writes the content of one package's data.tar, mapped onto
// merged /usr.
func (w *rootfsWriter) addPackage(tr *tar.Reader) error {
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}

		out, ok, err := w.packageEntry(h)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if err := w.write(out, tr); err != nil {
			return err
		}
	}
}

// packageEntry maps a data.tar header onto the merged root. It drops the
// root directory itself and entries of kinds a package has no business
// shipping.
func (w *rootfsWriter) packageEntry(h *tar.Header) (*tar.Header, bool, error) {
	name, ok := w.merge.rewrite(h.Name)
	if !ok {
		return nil, false, fmt.Errorf("entry %q escapes the root", h.Name)
	}
	if name == "" || w.merge.isAlias(h.Name) {
		return nil, false, nil
	}

	out := &tar.Header{
		Typeflag: h.Typeflag, Name: name, Linkname: h.Linkname, Size: h.Size, Mode: h.Mode,
		Uid: h.Uid, Gid: h.Gid, Uname: h.Uname, Gname: h.Gname, ModTime: h.ModTime,
		Devmajor: h.Devmajor, Devminor: h.Devminor,
	}
	switch h.Typeflag {
	case tar.TypeReg, tar.TypeDir, tar.TypeSymlink, tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
	case tar.TypeLink:
		// A hard link names another entry of the archive, which moved too.
		if out.Linkname, ok = w.merge.rewrite(h.Linkname); !ok || out.Linkname == "" {
			return nil, false, fmt.Errorf("hard link %q points outside the root", h.Name)
		}
	default:
		return nil, false, nil
	}
	if h.Typeflag != tar.TypeReg {
		out.Size = 0
	}
	return out, true, nil
}
