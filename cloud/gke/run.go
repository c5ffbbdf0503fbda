package gke

import (
	"context"
	"errors"
	"time"
)

// readOnlyGrace is how long a terraform command that changes no
// infrastructure (init, plan, output…) may take to stop after an interrupt
// before it is killed. Some never stop by themselves: init of the gcs
// backend retries an unreachable bucket for minutes.
const readOnlyGrace = 15 * time.Second

// run runs one terraform command through fn, interruptibly; apply and
// destroy are never killed.
//
// terraform-exec reacts to a cancelled context by sending terraform an
// interrupt and, after its wait delay, killing it; a kill in the middle of an
// apply loses the record of what was being created. So fn gets a context of
// its own, which is cancelled (one interrupt) only when ctx is, and for apply
// and destroy the wait delay is zero: terraform stops starting new
// operations, lets those under way finish, saves its state and exits, and
// run waits for that however long it takes. terraform runs in a process
// group of its own, so a Ctrl-C in the terminal reaches mvm only.
func (in *Infra) run(ctx context.Context, command string, fn func(context.Context) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	grace := readOnlyGrace
	if command == "apply" || command == "destroy" {
		grace = 0
	}
	if err := in.tf.SetWaitDelay(grace); err != nil {
		return err
	}
	tfCtx, interrupt := context.WithCancel(context.WithoutCancel(ctx))
	defer interrupt()
	stop := context.AfterFunc(ctx, func() {
		in.log.Warn("Interrupted: terraform " + command + " is finishing what it started and saving its state; " +
			"wait for it")
		interrupt()
	})
	defer stop()

	in.tail.reset()
	in.log.V(1).Infof("Running terraform %s in %s", command, in.dir)
	err := fn(tfCtx)
	if err == nil {
		return nil
	}
	return &StepError{Command: command, Dir: in.dir, Output: in.tail.String(), Err: settle(err)}
}

// settle works around terraform-exec's error for a command that exited
// successfully after its context was cancelled: that error matches
// context.Canceled but has nothing to unwrap, and its Error method panics.
func settle(err error) error {
	if errors.Is(err, context.Canceled) && errors.Unwrap(err) == nil {
		return context.Canceled
	}
	return err
}
