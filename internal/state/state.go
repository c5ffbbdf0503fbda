// Package state keeps what mvm must remember about the desktops it started:
// each desktop's token and address, and the phase timings of every start.
// Files live in the state directory (see package dirs), readable by the
// user only, since they hold the secrets that open the desktops.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Desktop is what mvm remembers about one desktop.
type Desktop struct {
	// Target is where it runs: "docker", "kind", "minikube" or "gke".
	Target string `json:"target"`
	// Name is the desktop's name, unique per target.
	Name string `json:"name"`
	// Token is the secret that opens the desktop.
	Token string `json:"token"`
	// URL is the desktop's address without the token, when it has a fixed
	// one.
	URL string `json:"url,omitempty"`
	// Context says which cluster or project holds it, for the targets that
	// have more than one.
	Context string `json:"context,omitempty"`
	// VNCPassword is the password of the desktop's VNC port, if it has one.
	VNCPassword string `json:"vnc_password,omitempty"`
	// Created is when mvm first started it.
	Created time.Time `json:"created"`
}

// Store reads and writes state under one directory.
type Store struct {
	Dir string
}

func (s Store) desktopPath(target, name string) string {
	return filepath.Join(s.Dir, "desktops", target, name+".json")
}

// SaveDesktop records d, replacing an earlier record of the same desktop.
func (s Store) SaveDesktop(d Desktop) error {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	return writePrivate(s.desktopPath(d.Target, d.Name), b)
}

// ErrNotFound means no record exists.
var ErrNotFound = errors.New("not found")

// Desktop returns the record of a desktop, or ErrNotFound.
func (s Store) Desktop(target, name string) (Desktop, error) {
	b, err := os.ReadFile(s.desktopPath(target, name))
	if errors.Is(err, os.ErrNotExist) {
		return Desktop{}, fmt.Errorf("desktop %s on %s: %w", name, target, ErrNotFound)
	}
	if err != nil {
		return Desktop{}, fmt.Errorf("read state: %w", err)
	}
	var d Desktop
	if err := json.Unmarshal(b, &d); err != nil {
		return Desktop{}, fmt.Errorf("read state of desktop %s: %w", name, err)
	}
	return d, nil
}

// Desktops lists the recorded desktops of a target, or of every target when
// target is empty, sorted by target and name.
func (s Store) Desktops(target string) ([]Desktop, error) {
	pattern := filepath.Join(s.Dir, "desktops", "*", "*.json")
	if target != "" {
		pattern = filepath.Join(s.Dir, "desktops", target, "*.json")
	}
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}

	var out []Desktop
	for _, p := range paths {
		t := filepath.Base(filepath.Dir(p))
		d, err := s.Desktop(t, strings.TrimSuffix(filepath.Base(p), ".json"))
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Target != out[j].Target {
			return out[i].Target < out[j].Target
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// DeleteDesktop forgets a desktop; forgetting one that is not recorded is not
// an error.
func (s Store) DeleteDesktop(target, name string) error {
	err := os.Remove(s.desktopPath(target, name))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("forget desktop %s: %w", name, err)
	}
	return nil
}

// writePrivate writes a file readable by the user only, atomically, so that
// a crash never leaves half a record.
func writePrivate(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create state directory: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	defer os.Remove(tmp.Name())

	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write state: %w", err)
	}
	return nil
}
