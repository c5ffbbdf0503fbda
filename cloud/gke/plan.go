package gke

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Plan runs terraform plan, saves the plan in the working directory for
// [Infra.Apply], and summarises it.
func (in *Infra) Plan(ctx context.Context) (*Summary, error) {
	step := in.log.StartStep("Planning infrastructure changes")
	s, err := in.plan(ctx, false)
	step.Done(err)
	return s, err
}

// PlanDestroy is [Infra.Plan] for destroying everything: applying its plan
// destroys the target's infrastructure.
func (in *Infra) PlanDestroy(ctx context.Context) (*Summary, error) {
	step := in.log.StartStep("Planning infrastructure removal")
	s, err := in.plan(ctx, true)
	step.Done(err)
	return s, err
}

func (in *Infra) plan(ctx context.Context, destroy bool) (*Summary, error) {
	path := in.planPath()
	if err := removePlan(path); err != nil {
		return nil, err
	}

	command := "plan"
	if destroy {
		command = "plan -destroy"
	}
	err := in.run(ctx, command, func(ctx context.Context) error {
		_, err := in.tf.Plan(ctx, tfexec.Out(path), tfexec.Destroy(destroy))
		return err
	})
	if err != nil {
		return nil, err
	}
	return in.summarise(ctx, path)
}

// summarise reads the saved plan back as JSON.
func (in *Infra) summarise(ctx context.Context, path string) (*Summary, error) {
	var s *Summary
	err := in.run(ctx, "show", func(ctx context.Context) error {
		p, err := in.tf.ShowPlanFile(ctx, path)
		if err == nil {
			s = summarise(p)
		}
		return err
	})
	return s, err
}

// Apply applies the plan that [Infra.Plan] or [Infra.PlanDestroy] saved, and
// nothing else. The plan is used up either way: after a failure, plan again,
// and the new plan continues from the state the failure left.
func (in *Infra) Apply(ctx context.Context) error {
	step := in.log.StartStep("Applying infrastructure changes")
	err := in.apply(ctx)
	step.Done(err)
	return err
}

func (in *Infra) apply(ctx context.Context) error {
	path := in.planPath()
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("no saved plan in %s: plan before applying", in.dir)
	}

	err := in.run(ctx, "apply", func(ctx context.Context) error {
		return in.tf.Apply(ctx, tfexec.DirOrPlan(path))
	})
	if rerr := removePlan(path); err == nil {
		err = rerr
	}
	return err
}

// Destroy runs terraform destroy without a saved plan. To show what will go
// first, use [Infra.PlanDestroy] and [Infra.Apply] instead.
func (in *Infra) Destroy(ctx context.Context) error {
	step := in.log.StartStep("Destroying infrastructure")
	err := in.run(ctx, "destroy", func(ctx context.Context) error {
		return in.tf.Destroy(ctx)
	})
	step.Done(err)
	return err
}

func (in *Infra) planPath() string { return filepath.Join(in.dir, planFile) }

// removePlan removes a saved plan: terraform refuses a plan whose state has
// changed since, and an old plan must never be applied by mistake.
func removePlan(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove saved plan: %w", err)
	}
	return nil
}
