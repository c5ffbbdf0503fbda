// Package dirs names the directories where mvm keeps what outlives one run:
// caches that can be rebuilt at any time, and state that cannot (desktop
// tokens, start-time history, Terraform state).
package dirs

import (
	"os"
	"path/filepath"
)

// Cache is mvm's cache directory: $MVM_CACHE_DIR, else the user's cache
// directory ($XDG_CACHE_HOME or ~/.cache) followed by "mvm".
func Cache() string {
	if d := os.Getenv("MVM_CACHE_DIR"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "mvm")
	}
	return filepath.Join(os.TempDir(), "mvm-cache")
}

// State is mvm's state directory: $MVM_STATE_DIR, else $XDG_STATE_HOME/mvm,
// else ~/.local/state/mvm. Nothing here may be lost without losing a user's
// data, so it is never a temporary directory.
func State() string {
	if d := os.Getenv("MVM_STATE_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "mvm")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "/"
	}
	return filepath.Join(home, ".local", "state", "mvm")
}
