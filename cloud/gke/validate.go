package gke

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Validate runs terraform validate, which checks the module against the
// providers' schemas without calling any cloud API. It needs [Infra.Init].
func (in *Infra) Validate(ctx context.Context) error {
	step := in.log.StartStep("Validating the Terraform module")
	var out *tfjson.ValidateOutput
	err := in.run(ctx, "validate", func(ctx context.Context) error {
		var err error
		out, err = in.tf.Validate(ctx)
		return err
	})
	if err == nil && !out.Valid {
		err = &StepError{Command: "validate", Dir: in.dir, Err: diagnosticsError(out.Diagnostics)}
	}
	step.Done(err)
	return err
}

// diagnosticsError turns validate's error diagnostics into an error whose
// first line counts them and whose following lines are terraform's text.
func diagnosticsError(diags []tfjson.Diagnostic) error {
	var lines []string
	for _, d := range diags {
		if d.Severity != tfjson.DiagnosticSeverityError {
			continue
		}
		line := "Error: " + d.Summary
		if d.Range != nil {
			line += fmt.Sprintf(" (%s line %d)", d.Range.Filename, d.Range.Start.Line)
		}
		if d.Detail != "" {
			line += ": " + d.Detail
		}
		lines = append(lines, line)
	}
	return errors.New(fmt.Sprintf("%d errors\n", len(lines)) + strings.Join(lines, "\n"))
}
