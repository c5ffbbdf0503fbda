package bench

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/build"
	"github.com/docker/docker/client"
)

//go:embed baseline
var baselineFiles embed.FS

// baselineRepo names the classic-stack image.
const baselineRepo = "mvm.local/bench-classic"

// buildBaseline builds the classic stack on base, or reuses it when the
// engine has one built from the same files and base.
func buildBaseline(ctx context.Context, c *client.Client, base string) (string, error) {
	tarball, hash, err := baselineContext(base)
	if err != nil {
		return "", err
	}
	ref := baselineRepo + ":" + hash[:12]
	if _, err := c.ImageInspect(ctx, ref); err == nil {
		return ref, nil
	}

	resp, err := c.ImageBuild(ctx, bytes.NewReader(tarball), build.ImageBuildOptions{
		Tags: []string{ref}, BuildArgs: map[string]*string{"BASE": &base},
		Remove: true, ForceRemove: true, Version: build.BuilderV1,
	})
	if err != nil {
		return "", fmt.Errorf("build the classic stack: %w", err)
	}
	defer resp.Body.Close()
	return ref, buildErr(resp.Body)
}

func baselineContext(base string) ([]byte, string, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	h := sha256.New()
	h.Write([]byte(base))
	for _, name := range []string{"Dockerfile", "supervisord.conf"} {
		data, err := baselineFiles.ReadFile("baseline/" + name)
		if err != nil {
			return nil, "", err
		}
		h.Write(data)
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return nil, "", err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, "", err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), hex.EncodeToString(h.Sum(nil)), nil
}

// buildErr reads a build's message stream and returns the error it reports.
func buildErr(r io.Reader) error {
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Error string `json:"error"`
		}
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		if m.Error != "" {
			return errors.New(m.Error)
		}
	}
}
