package gke

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/mvm-dev/mvm/internal/kube"
)

// ParseWhere reads the PROJECT/REGION/NAME by which mvm records a promoted
// desktop's target. The parts are checked as [Prepare] checks them, so that
// they are safe to use as path elements.
func ParseWhere(where string) (Target, error) {
	parts := strings.Split(where, "/")
	if len(parts) != 3 {
		return Target{}, fmt.Errorf("GKE target %q is not PROJECT/REGION/NAME", where)
	}
	t := Target{Project: parts[0], Region: parts[1], Name: parts[2]}
	if err := errors.Join(t.check()...); err != nil {
		return Target{}, fmt.Errorf("GKE target %q: %w", where, err)
	}
	return t, nil
}

// Connect reaches the cluster of a target that mvm promoted to, as the
// promote reached it: the endpoint and CA from the Terraform outputs in the
// target's working directory, and a Google access token from the same
// credentials. It runs terraform output only: nothing is planned, applied
// or made, and no kubeconfig is read or written.
//
// TODO: a target whose state is in a bucket is reachable only from a
// machine where promote ran (and initialised the working directory); a
// read-only init from the recorded backend would lift that.
func Connect(ctx context.Context, t Target, o Options) (*kube.Client, error) {
	o = o.withDefaults()
	t = t.withDefaults()
	d, err := defaultDirs(o)
	if err != nil {
		return nil, err
	}
	dir := d.workDir(t)
	if _, err := os.Stat(filepath.Join(dir, ".terraform")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no initialised working directory %s for GKE target %s: run mvm promote gke "+
				"for it again", dir, t.key())
		}
		return nil, err
	}

	out, err := readOutputs(ctx, t, dir, o, d)
	if err != nil {
		return nil, err
	}
	token, err := AccessToken(ctx, o)
	if err != nil {
		return nil, err
	}
	return connect(ctx, out, token)
}

// readOutputs runs terraform output in an existing working directory.
func readOutputs(ctx context.Context, t Target, dir string, o Options, d dirs) (*Outputs, error) {
	execPath, err := findTerraform(o, d)
	if err != nil {
		return nil, err
	}
	in := &Infra{target: t, dir: dir, log: o.Logger, tail: newTail(tailLines), opts: o}
	if err := in.newTerraform(execPath, o, d); err != nil {
		return nil, err
	}
	return in.Outputs(ctx)
}

// findTerraform finds the terraform that promote ran: the one asked for,
// the one on PATH, or the one promote installed. It never installs one,
// since reading what a promote left needs no download.
func findTerraform(o Options, d dirs) (string, error) {
	if o.Terraform != "" {
		return exec.LookPath(o.Terraform)
	}
	if path, err := exec.LookPath("terraform"); err == nil {
		return path, nil
	}
	installed := filepath.Join(d.cache, "terraform", "bin", installVersion, "terraform")
	if info, err := os.Stat(installed); err == nil && info.Mode()&0o111 != 0 {
		return installed, nil
	}
	return "", fmt.Errorf("terraform is neither on PATH nor in %s: install terraform %s or newer",
		filepath.Dir(installed), minVersion)
}
