package gke

import (
	"context"
	"errors"
	"strings"
)

// StepError is a terraform command that did not succeed. Its message names
// the command and the working directory on its first line, with terraform's
// own diagnostics below. errors.Is(err, context.Canceled) reports whether it
// was interrupted.
type StepError struct {
	// Command is the terraform subcommand, such as "apply".
	Command string
	// Dir is the working directory it ran in.
	Dir string
	// Output is the end of what terraform printed.
	Output string
	// Err is terraform-exec's error: the exit status, then terraform's
	// diagnostics from stderr.
	Err error
}

// Error names the command and the directory on its first line, with
// terraform's diagnostics, indented, below.
func (e *StepError) Error() string {
	status, diagnostics, _ := strings.Cut(e.Err.Error(), "\n")
	if errors.Is(e.Err, context.Canceled) {
		// terraform-exec keeps no stderr for a cancelled command.
		status = "interrupted"
		if e.Command == "apply" || e.Command == "destroy" {
			status += "; terraform stopped and saved its state, run again to continue"
		}
		diagnostics = e.Output
	}

	msg := "terraform " + e.Command + " in " + e.Dir + ": " + status
	if d := strings.TrimSpace(diagnostics); d != "" {
		msg += "\n" + indent(d)
	}
	return msg
}

// Unwrap returns terraform-exec's error.
func (e *StepError) Unwrap() error { return e.Err }

func indent(s string) string {
	return "    " + strings.ReplaceAll(s, "\n", "\n    ")
}
