// Package terraform holds mvm's Terraform module for GKE Autopilot, embedded
// in the binary: a cluster whose nodes run as a service account of its own,
// an Artifact Registry repository for the desktop image, a global address
// for the HTTPS Ingress when a domain is given, and the project services
// they need.
//
// The module's outputs are the contract with mvm's Go side: cluster_endpoint,
// cluster_ca_certificate, repository_url, ingress_ip, cluster_name and
// location, all strings. Its tests under tests/ are not embedded: they are
// not needed to run the module.
package terraform

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

//go:embed *.tf
var module embed.FS

// Files returns the names of the module's files, sorted.
func Files() []string {
	entries, _ := fs.ReadDir(module, ".") // an embedded directory always reads
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// Hash returns a content hash of the module: the same for the same files, and
// different as soon as any file's name or content changes. It names the
// directory the module is unpacked into, so that each version of mvm uses its
// own copy.
func Hash() string {
	h := sha256.New()
	for _, name := range Files() {
		data, _ := module.ReadFile(name) // listed by Files, so present
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Unpack writes the module's files into dir, creating it if needed. It is
// safe to call again on a complete or a partly written directory: each file
// is written whole under a temporary name and then renamed into place.
func Unpack(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create module directory: %w", err)
	}
	for _, name := range Files() {
		if err := unpackFile(dir, name); err != nil {
			return err
		}
	}
	return nil
}

func unpackFile(dir, name string) error {
	data, _ := module.ReadFile(name) // listed by Files, so present
	path := filepath.Join(dir, name)

	tmp, err := os.CreateTemp(dir, "."+name+".*")
	if err != nil {
		return fmt.Errorf("unpack %s: %w", name, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("unpack %s: %w", name, err)
	}
	return nil
}
