package image

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// agentPath is where the agent binary sits in the build context.
const agentPath = "mvm-agent"

// executables are the embedded files that must be executable in the image;
// embedded files carry no mode of their own.
var executables = map[string]bool{
	"rootfs/usr/local/libexec/mvm-autostart": true,
}

// buildContext is a tar of the embedded files plus the agent, with fixed
// owners, modes and times, so that equal inputs give equal bytes and an equal
// hash.
type buildContext struct {
	tar  []byte
	hash string
}

func newBuildContext(agent []byte, salt ...string) (*buildContext, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)

	names, err := embeddedFiles()
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		data, err := files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := addFile(tw, name, data, modeOf(name)); err != nil {
			return nil, err
		}
	}
	if err := addFile(tw, agentPath, agent, 0o755); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}

	h := sha256.New()
	h.Write(buf.Bytes())
	for _, s := range salt {
		h.Write([]byte{0})
		h.Write([]byte(s))
	}
	return &buildContext{tar: buf.Bytes(), hash: hex.EncodeToString(h.Sum(nil))}, nil
}

func embeddedFiles() ([]string, error) {
	var names []string
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, p)
		}
		return err
	})
	sort.Strings(names)
	return names, err
}

func modeOf(name string) int64 {
	if executables[name] {
		return 0o755
	}
	return 0o644
}

// epoch is the modification time of every context file: the legacy builder
// hashes file times into its cache keys, so a fixed time keeps its cache warm
// across mvm binaries.
var epoch = time.Unix(0, 0)

func addFile(tw *tar.Writer, name string, data []byte, mode int64) error {
	if err := addParents(tw, name); err != nil {
		return err
	}
	hdr := &tar.Header{Name: name, Mode: mode, Size: int64(len(data)), ModTime: epoch, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

// addParents writes directory entries for name's parents, so that the
// directories get a defined mode rather than the builder's default.
func addParents(tw *tar.Writer, name string) error {
	dir := path.Dir(name)
	if dir == "." {
		return nil
	}
	parts := strings.Split(dir, "/")
	for i := range parts {
		d := strings.Join(parts[:i+1], "/") + "/"
		hdr := &tar.Header{Name: d, Mode: 0o755, Typeflag: tar.TypeDir, ModTime: epoch, Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
	}
	return nil
}
