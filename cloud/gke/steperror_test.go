package gke

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// canceledAfterSuccess is the shape of terraform-exec's error for a command
// that exited successfully after its context was cancelled: it matches
// context.Canceled and unwraps to nothing.
type canceledAfterSuccess struct{}

func (canceledAfterSuccess) Error() string        { panic("terraform-exec's error panics here") }
func (canceledAfterSuccess) Is(target error) bool { return target == context.Canceled }
func (canceledAfterSuccess) Unwrap() error        { return nil }

// canceledAfterFailure is terraform-exec's error for an interrupted command
// that exited non-zero.
type canceledAfterFailure struct{}

func (canceledAfterFailure) Error() string        { return "exit status 1" }
func (canceledAfterFailure) Is(target error) bool { return target == context.Canceled }
func (canceledAfterFailure) Unwrap() error        { return errors.New("exit status 1") }

func TestStepError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		command  string
		err      error
		output   string
		want     string
		canceled bool
	}{
		{
			name:   "diagnostics from terraform-exec",
			err:    fmt.Errorf("%w\n\nError: local-exec provisioner error\n\n  with terraform_data.cluster", errors.New("exit status 1")),
			output: "terraform_data.cluster: Creating...",
			want: "terraform apply in /state/gke/p/r/mvm: exit status 1\n" +
				"    Error: local-exec provisioner error\n    \n      with terraform_data.cluster",
		},
		{
			name:   "interrupted shows the output's end",
			err:    canceledAfterFailure{},
			output: "Interrupt received.\nGracefully shutting down...\n",
			want: "terraform apply in /state/gke/p/r/mvm: interrupted; terraform stopped and saved its state, " +
				"run again to continue\n    Interrupt received.\n    Gracefully shutting down...",
			canceled: true,
		},
		{
			name: "interrupted after success",
			err:  settle(canceledAfterSuccess{}),
			want: "terraform apply in /state/gke/p/r/mvm: interrupted; terraform stopped and saved its state, " +
				"run again to continue",
			canceled: true,
		},
		{
			name:     "interrupted read-only command",
			command:  "init",
			err:      canceledAfterFailure{},
			output:   "Initializing the backend...",
			want:     "terraform init in /state/gke/p/r/mvm: interrupted\n    Initializing the backend...",
			canceled: true,
		},
		{
			name: "no diagnostics",
			err:  errors.New("exit status 1"),
			want: "terraform apply in /state/gke/p/r/mvm: exit status 1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			command := tt.command
			if command == "" {
				command = "apply"
			}
			err := error(&StepError{Command: command, Dir: "/state/gke/p/r/mvm", Output: tt.output, Err: tt.err})
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("Error() (-want +got):\n%s", diff)
			}
			if got := errors.Is(err, context.Canceled); got != tt.canceled {
				t.Errorf("errors.Is(err, context.Canceled) = %v, want %v", got, tt.canceled)
			}
		})
	}
}
