package gke

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/mvm-dev/mvm/internal/log"
)

// Infra is the infrastructure of one [Target]: a terraform working directory
// ready to run. Each method shows itself as one step line. An Infra is not
// safe for concurrent use.
type Infra struct {
	target Target
	dir    string
	module module
	tf     *tfexec.Terraform
	log    *log.Logger
	tail   *tail
	opts   Options
}

// Prepare checks the prerequisites for t and lays out its working directory.
// Each missing prerequisite is one line of the error. Nothing is created in
// Google Cloud.
func Prepare(ctx context.Context, t Target, o Options) (*Infra, error) {
	o = o.withDefaults()
	t = t.withDefaults()
	d, err := defaultDirs(o)
	if err != nil {
		return nil, err
	}

	execPath, err := newPrereqs(o, d).check(ctx, t)
	if err != nil {
		return nil, err
	}
	m, err := resolveModule(t, d)
	if err != nil {
		return nil, err
	}
	dir := d.workDir(t)
	if err := layoutWorkDir(dir, m.dir, t); err != nil {
		return nil, fmt.Errorf("prepare working directory %s: %w", dir, err)
	}

	in := &Infra{target: t, dir: dir, module: m, log: o.Logger, tail: newTail(tailLines), opts: o}
	if err := in.newTerraform(execPath, o, d); err != nil {
		return nil, err
	}
	if err := in.checkVersion(ctx); err != nil {
		return nil, err
	}
	return in, nil
}

// newPrereqs looks at the real machine.
func newPrereqs(o Options, d dirs) prereqs {
	lookPath := exec.LookPath
	if o.Terraform != "" {
		lookPath = func(string) (string, error) { return exec.LookPath(o.Terraform) }
	}
	return prereqs{
		lookPath: lookPath,
		install: func(ctx context.Context) (string, error) {
			dir := filepath.Join(d.cache, "terraform", "bin", installVersion)
			step := o.Logger.StartStep("Installing terraform " + installVersion + " into " + dir)
			path, err := installTerraform(ctx, dir)
			step.Done(err)
			return path, err
		},
		credentials: func(ctx context.Context) (string, error) {
			return findCredentials(ctx, o.getenv)
		},
	}
}

// newTerraform sets up terraform-exec for the working directory.
//
// NOTE: a wait delay of zero means terraform is never killed after the
// interrupt that cancelling sends: it gets all the time it needs to finish
// the operations under way and save its state (see [Infra.run]).
func (in *Infra) newTerraform(execPath string, o Options, d dirs) error {
	tf, err := tfexec.NewTerraform(in.dir, execPath)
	if err != nil {
		return fmt.Errorf("set up terraform: %w", err)
	}
	config, err := cliConfigFile(o.getenv, d)
	if err != nil {
		return err
	}
	if err := tf.SetEnv(terraformEnv(o.Environ, config)); err != nil {
		return fmt.Errorf("set up terraform: %w", err)
	}
	if err := tf.SetWaitDelay(0); err != nil {
		return fmt.Errorf("set up terraform: %w", err)
	}

	out := io.MultiWriter(o.Logger.Writer(2), in.tail)
	tf.SetStdout(out)
	tf.SetStderr(out)
	in.tf = tf
	return nil
}

// checkVersion refuses a terraform older than minVersion with one line.
func (in *Infra) checkVersion(ctx context.Context) error {
	var got *version.Version
	err := in.run(ctx, "version", func(ctx context.Context) error {
		var err error
		got, _, err = in.tf.Version(ctx, true)
		return err
	})
	if err != nil {
		return err
	}
	if got.LessThan(minVersion) {
		return fmt.Errorf("terraform %s at %s is too old: mvm needs %s or newer", got, in.tf.ExecPath(), minVersion)
	}

	in.log.V(1).Infof("terraform %s at %s; working directory %s", got, in.tf.ExecPath(), in.dir)
	return nil
}

// Dir is the target's terraform working directory. Local state is kept in
// it; a person can run terraform there by hand.
func (in *Infra) Dir() string { return in.dir }

// Init runs terraform init: it installs the providers and configures the
// backend. A module that changed since the last Init is initialised with
// -upgrade, so that its new provider constraints can replace locked ones.
func (in *Infra) Init(ctx context.Context) error {
	step := in.log.StartStep("Initialising Terraform")
	err := in.init(ctx)
	step.Done(err)
	return err
}

func (in *Infra) init(ctx context.Context) error {
	mark := filepath.Join(in.dir, moduleMarkFile)
	last, _ := os.ReadFile(mark) // absent before the first Init
	upgrade := string(last) != in.module.id

	err := in.run(ctx, "init", func(ctx context.Context) error {
		return in.tf.Init(ctx, tfexec.Upgrade(upgrade))
	})
	if err != nil {
		return err
	}
	return writeFileAtomic(mark, []byte(in.module.id), 0o600)
}
