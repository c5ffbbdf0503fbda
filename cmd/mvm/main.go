// Command mvm builds a Linux desktop image and runs it in a browser: on
// Docker (mvm dev), on a local Kubernetes cluster (mvm kind, mvm minikube)
// and on GKE Autopilot (mvm promote gke).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newApp(os.Stdout, os.Stderr).RunContext(ctx, os.Args)
	stop()
	os.Exit(report(os.Stderr, err))
}

// report prints err once and maps it to the exit code: 0 for success, 2 for
// a usage error, 130 for an interruption and 1 for any other failure.
func report(w io.Writer, err error) int {
	if err == nil {
		return 0
	}

	var usage *usageError
	switch {
	case errors.As(err, &usage):
		fmt.Fprintf(w, "ERROR: %v\n", err)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(w, "ERROR: interrupted")
		return 130
	default:
		fmt.Fprintf(w, "ERROR: %v\n", err)
		return 1
	}
}

// usageError is a command line that mvm cannot parse.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() + " (see mvm --help)" }

func (e *usageError) Unwrap() error { return e.err }
