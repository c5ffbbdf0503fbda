package gke

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// planFile is the saved plan in the working directory.
const planFile = "mvm.tfplan"

// moduleMarkFile records which module the working directory was last
// initialised with, so that a new module is initialised with -upgrade.
const moduleMarkFile = ".mvm-module"

// generated are the files mvm writes into a working directory; a module may
// not bring files of the same names.
var generated = []string{backendFile, varsFile, planFile, moduleMarkFile}

// layoutWorkDir makes dir the target's working directory: the module's files
// linked in, and the generated backend and variables files written. State,
// .terraform and the lock file stay in dir between runs.
func layoutWorkDir(dir, moduleDir string, t Target) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create working directory: %w", err)
	}
	if err := linkModule(dir, moduleDir); err != nil {
		return err
	}

	vars, err := tfvars(t)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, varsFile), vars, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", varsFile, err)
	}
	if err := writeFileAtomic(filepath.Join(dir, backendFile), backendConfig(t), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", backendFile, err)
	}
	return nil
}

// linkModule replaces the symbolic links in dir with links to the entries of
// moduleDir, so that dir's root module is the module's. Links rather than
// copies keep the working directory tied to one unpacked module version and
// let a module's local child modules (./modules/x) resolve.
func linkModule(dir, moduleDir string) error {
	if err := removeLinks(dir); err != nil {
		return err
	}
	entries, err := os.ReadDir(moduleDir)
	if err != nil {
		return fmt.Errorf("read module: %w", err)
	}

	for _, e := range entries {
		name := e.Name()
		if !linkable(name) {
			continue
		}
		if slices.Contains(generated, name) {
			return fmt.Errorf("module %s has a file named %s, which mvm writes itself", moduleDir, name)
		}
		if err := os.Symlink(filepath.Join(moduleDir, name), filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("link module file: %w", err)
		}
	}
	return nil
}

// linkable leaves out what belongs to one working directory rather than to
// the module: hidden files (.terraform, a lock file), state, saved plans, and
// the module's own tests.
func linkable(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), name == "tests":
		return false
	case strings.HasPrefix(name, localStateFile), strings.HasSuffix(name, ".tfplan"):
		return false
	}
	return true
}

// removeLinks removes the links of an earlier layout; mvm never puts any
// other link in a working directory.
func removeLinks(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read working directory: %w", err)
	}
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		err := os.Remove(filepath.Join(dir, e.Name()))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove old module link: %w", err)
		}
	}
	return nil
}
