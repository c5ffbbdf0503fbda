package gke

import (
	"context"
	"errors"
	"fmt"
)

// prereqs are the parts of the prerequisite checks that look at the machine,
// as functions so that tests can stand in for the machine.
type prereqs struct {
	// lookPath finds a program on PATH, as exec.LookPath.
	lookPath func(file string) (string, error)
	// install installs terraform where none is found.
	install func(ctx context.Context) (string, error)
	// credentials reports where Google credentials come from.
	credentials func(ctx context.Context) (string, error)
}

// check returns the terraform to run, or every prerequisite that is missing,
// one line each, so that all of them can be fixed at once. Terraform is
// installed only when nothing else is missing.
func (p prereqs) check(ctx context.Context, t Target) (string, error) {
	errs := t.check()
	if _, err := p.credentials(ctx); err != nil {
		errs = append(errs, fmt.Errorf("no Google credentials: run %q or set GOOGLE_OAUTH_ACCESS_TOKEN: %w",
			"gcloud auth application-default login", err))
	}

	path, err := p.lookPath("terraform")
	switch {
	case err == nil:
	case len(errs) > 0:
		errs = append(errs, fmt.Errorf("terraform is not on PATH: install terraform %s or newer", minVersion))
	default:
		path, err = p.install(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("terraform is not on PATH and could not be installed "+
				"(install terraform %s or newer): %w", minVersion, err))
		}
	}
	return path, errors.Join(errs...)
}
