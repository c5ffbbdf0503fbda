package gke

import (
	"fmt"
	"os"
	"path/filepath"
)

// dirs are the directories mvm keeps Terraform's files in.
type dirs struct {
	// cache holds what can be made again: unpacked modules, the provider
	// plugin cache, mvm's CLI configuration and an installed terraform.
	cache string
	// state holds one working directory per target, with its local state.
	state string
}

// defaultDirs finds the cache and state directories when the options leave
// them empty: the user's cache directory, and XDG_STATE_HOME (by default
// ~/.local/state), each with an mvm subdirectory.
func defaultDirs(o Options) (dirs, error) {
	d := dirs{cache: o.CacheDir, state: o.StateDir}
	if d.cache == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return dirs{}, fmt.Errorf("find cache directory: %w", err)
		}
		d.cache = filepath.Join(base, "mvm")
	}
	if d.state == "" {
		base, err := userStateDir(o.getenv)
		if err != nil {
			return dirs{}, err
		}
		d.state = filepath.Join(base, "mvm")
	}
	return d, nil
}

// userStateDir follows the XDG base directory specification: a relative
// XDG_STATE_HOME is ignored.
func userStateDir(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return dir, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("find state directory: neither XDG_STATE_HOME nor HOME is set")
	}
	return filepath.Join(home, ".local", "state"), nil
}

// workDir is the target's terraform working directory.
func (d dirs) workDir(t Target) string {
	return filepath.Join(d.state, "gke", t.key())
}

// moduleCache is where the embedded module with this hash is unpacked.
func (d dirs) moduleCache(hash string) string {
	return filepath.Join(d.cache, "terraform", hash)
}
