package gke

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mvm-dev/mvm/terraform"
)

// module is the Terraform module a target is applied with.
type module struct {
	// dir is the module's absolute directory.
	dir string
	// id identifies the module's version: the embedded module's content hash,
	// or the directory of a module the user gave.
	id string
}

// resolveModule returns the user's module when t names one, or else unpacks
// the embedded module into the cache, once per content hash.
func resolveModule(t Target, d dirs) (module, error) {
	if t.ModuleDir != "" {
		return userModule(t.ModuleDir)
	}

	hash := terraform.Hash()
	dir := d.moduleCache(hash)
	if err := terraform.Unpack(dir); err != nil {
		return module{}, fmt.Errorf("unpack terraform module into %s: %w", dir, err)
	}
	return module{dir: dir, id: "embedded " + hash}, nil
}

func userModule(dir string) (module, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return module{}, fmt.Errorf("find module %s: %w", dir, err)
	}
	matches, err := filepath.Glob(filepath.Join(abs, "*.tf"))
	if err == nil && len(matches) == 0 {
		matches, err = filepath.Glob(filepath.Join(abs, "*.tf.json"))
	}
	if err != nil || len(matches) == 0 {
		if _, serr := os.Stat(abs); serr != nil {
			return module{}, fmt.Errorf("module directory: %w", serr)
		}
		return module{}, fmt.Errorf("module directory %s has no .tf files", abs)
	}
	return module{dir: abs, id: abs}, nil
}
