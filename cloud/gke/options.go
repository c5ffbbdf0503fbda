package gke

import (
	"os"
	"strings"

	"github.com/mvm-dev/mvm/internal/log"
)

// Options configure [Prepare]. The zero value works: it logs nothing and uses
// the user's directories and the process environment.
type Options struct {
	// Logger shows step lines, and terraform's output at V(2).
	Logger *log.Logger
	// CacheDir replaces os.UserCacheDir()/mvm.
	CacheDir string
	// StateDir replaces $XDG_STATE_HOME/mvm (by default ~/.local/state/mvm).
	StateDir string
	// Terraform is the terraform binary to run; empty means the one on
	// PATH, or else one that mvm installs.
	Terraform string
	// Environ replaces os.Environ() as the environment terraform starts from
	// and where mvm looks for credentials and MVM_TF_CLI_CONFIG_FILE.
	Environ []string
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = log.Discard()
	}
	if o.Environ == nil {
		o.Environ = os.Environ()
	}
	return o
}

// getenv looks a variable up in o.Environ; the last assignment wins, as in a
// process environment built by appending.
func (o Options) getenv(key string) string {
	value := ""
	for _, kv := range o.Environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			value = v
		}
	}
	return value
}
