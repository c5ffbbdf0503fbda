package gke

import (
	"cmp"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/manifests"
)

// ErrDeclined is returned when the user does not confirm the plan.
var ErrDeclined = errors.New("the plan was not applied: not confirmed")

// PromoteOptions configure [Promote].
type PromoteOptions struct {
	// Desktop describes the desktop. Promote sets its overlay (gke), image,
	// domain and static address name.
	Desktop manifests.Params
	// Image is the local image to push, such as mvm.local/desktop:full-….
	Image string
	// Engine pushes the image.
	Engine Pusher
	// PlanOnly stops after the plan.
	PlanOnly bool
	// Confirm is asked before a plan that changes something is applied; it
	// returns ErrDeclined (or another error) to stop. Nil applies at once.
	Confirm func(*Summary) error
	// ReadyTimeout bounds the rollout and the first-frame probe; zero means
	// 15 minutes, the time Autopilot may take to add a first node.
	ReadyTimeout time.Duration
}

// Result is a promoted desktop, or the plan when only planning.
type Result struct {
	// Summary is what the plan changed.
	Summary *Summary
	// Outputs are the module's outputs; nil with PlanOnly.
	Outputs *Outputs
	// Image is the pushed image, pinned to its digest.
	Image string
	// URL is the desktop's address without its token: https://DOMAIN with a
	// domain, else the port-forward's.
	URL string
	// Forward is the open port-forward that served the probe; the caller
	// closes it.
	Forward *Forward
	// Timer holds each phase's time.
	Timer *desktop.Timer
}

// Promote provisions the infrastructure with Terraform, pushes the image,
// deploys the desktop with the gke overlay through the shared applier, and
// proves that it serves a first frame.
func (in *Infra) Promote(ctx context.Context, o PromoteOptions) (*Result, error) {
	if !o.PlanOnly && (o.Desktop.Token == "" || o.Image == "" || o.Engine == nil) {
		return nil, errors.New("promote needs the desktop's token, an image and an engine to push it")
	}
	res := &Result{Timer: desktop.NewTimer()}
	if err := in.Init(ctx); err != nil {
		return nil, err
	}

	var err error
	if res.Summary, err = in.Plan(ctx); err != nil {
		return nil, err
	}
	res.Timer.Mark("plan", time.Time{})
	if o.PlanOnly {
		return res, removePlan(in.planPath())
	}
	if err := applyPlan(ctx, in, res.Summary, o.Confirm); err != nil {
		return nil, err
	}
	res.Timer.Mark("apply", time.Time{})

	if res.Outputs, err = in.Outputs(ctx); err != nil {
		return nil, err
	}
	if err := deploy(ctx, in, o, res); err != nil {
		return nil, err
	}
	return res, nil
}

// applyPlan asks for confirmation and applies the saved plan; an empty plan
// is dropped unasked.
func applyPlan(ctx context.Context, in *Infra, s *Summary, confirm func(*Summary) error) error {
	if s.Empty() {
		in.log.V(0).Info("✓ Infrastructure is up to date")
		return removePlan(in.planPath())
	}
	in.log.V(0).Info("Plan: " + s.String())
	if confirm != nil {
		if err := confirm(s); err != nil {
			return errors.Join(err, removePlan(in.planPath()))
		}
	}
	return in.Apply(ctx)
}

// deploy pushes the image, applies the manifests, waits for the rollout and
// probes the desktop.
func deploy(ctx context.Context, in *Infra, o PromoteOptions, res *Result) error {
	token, err := AccessToken(ctx, in.opts)
	if err != nil {
		return err
	}
	if err := push(ctx, in, o, res, token); err != nil {
		return err
	}
	c, err := connect(ctx, res.Outputs, token)
	if err != nil {
		return err
	}
	p, err := apply(ctx, in, c, o, res)
	if err != nil {
		return err
	}

	ready, cancel := context.WithTimeout(ctx, cmp.Or(o.ReadyTimeout, 15*time.Minute))
	defer cancel()
	if err := rollout(ready, in, c, p); err != nil {
		return err
	}
	res.Timer.Mark("rollout", time.Time{})
	return probeDesktop(ready, in, c, p, res)
}

func push(ctx context.Context, in *Infra, o PromoteOptions, res *Result, token string) error {
	step := in.log.StartStep("Pushing " + o.Image + " to " + res.Outputs.RepositoryURL)
	ref, err := pushImage(ctx, o.Engine, o.Image, res.Outputs.RepositoryURL, token, in.log.Writer(2))
	step.Done(err)
	res.Image = ref
	res.Timer.Mark("push", time.Time{})
	return err
}

// connect reaches the cluster's API server with the OAuth2 token, trusting
// only the cluster's own CA; no kubeconfig is read or written.
func connect(ctx context.Context, out *Outputs, token string) (*kube.Client, error) {
	ca, err := base64.StdEncoding.DecodeString(out.ClusterCACertificate)
	if err != nil {
		return nil, fmt.Errorf("output cluster_ca_certificate is not base64: %w", err)
	}
	cfg, err := kube.ConfigFromToken(out.ClusterEndpoint, ca, token)
	if err != nil {
		return nil, err
	}
	return kube.Connect(ctx, cfg)
}

// apply renders the gke overlay for the pushed image and applies it.
func apply(ctx context.Context, in *Infra, c *kube.Client, o PromoteOptions, res *Result) (manifests.Params, error) {
	p := o.Desktop
	p.Overlay, p.Image, p.Domain = manifests.GKE, res.Image, in.target.Domain
	p.StaticIPName = res.Outputs.ClusterName + "-ingress"
	p.Namespace = cmp.Or(p.Namespace, manifests.DefaultNamespace)

	step := in.log.StartStep("Applying the gke manifests of desktop " + p.Name)
	objs, err := manifests.Render(p)
	if err == nil {
		var r kube.ApplyResult
		r, err = c.Apply(ctx, objs, kube.ApplyOptions{Namespace: p.Namespace, Desktop: p.Name})
		step.Update(fmt.Sprintf("%d created, %d changed, %d unchanged", len(r.Created), len(r.Changed),
			len(r.Unchanged)))
	}
	step.Done(err)
	res.Timer.Mark("deploy", time.Time{})
	return p, err
}

// probeDesktop proves the desktop serves a first frame through a
// port-forward; with a domain, the Ingress's certificate may still be
// provisioning, so the forward is the one path known to work now.
func probeDesktop(ctx context.Context, in *Infra, c *kube.Client, p manifests.Params, res *Result) error {
	step := in.log.StartStep("Probing desktop " + p.Name + " for its first frame")
	f, err := forward(ctx, c.Config(), c.Clientset(), p.Namespace, p.Name)
	if err != nil {
		step.Done(err)
		return err
	}
	phases, err := probe.WaitReady(ctx, f.URL, p.Token)
	step.Done(err)
	if err != nil {
		f.Close()
		return err
	}
	res.Timer.Mark("agent up", phases.AgentUp)
	res.Timer.Mark("first frame", phases.FirstFrame)
	res.Forward, res.URL = f, f.URL
	if p.Domain != "" {
		res.URL = "https://" + p.Domain
	}
	return nil
}
