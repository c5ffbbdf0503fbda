package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/docker/docker/client"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/cloud/gke"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/manifests"
)

// gkeTarget names GKE desktops in the state store.
const gkeTarget = "gke"

type promoteOptions struct {
	desktopOptions
	image              imageOptions
	project            string
	region             string
	cluster            string
	domain             string
	stateBucket        string
	module             string
	namespace          string
	deletionProtection bool
	planOnly           bool
	destroy            bool
	yes                bool
	detach             bool
}

func promoteCommand(a *app) *cli.Command {
	return &cli.Command{
		Name:         "promote",
		Usage:        "run a desktop in the cloud, with the same manifests as locally",
		OnUsageError: onUsageError,
		Subcommands:  []*cli.Command{promoteGKECommand(a)},
	}
}

func promoteGKECommand(a *app) *cli.Command {
	o := &promoteOptions{}
	flags := append(gkeFlags(o), o.desktopOptions.flags("dev")...)
	for _, f := range flags {
		// Autopilot may first have to add a node for the pod.
		if d, ok := f.(*cli.DurationFlag); ok && d.Name == "timeout" {
			d.Value = 15 * time.Minute
			d.Usage = "how long to wait for the rollout and the first frame"
		}
	}
	return &cli.Command{
		Name:  "gke",
		Usage: "provision GKE Autopilot with Terraform and deploy the desktop there",
		Description: "Checks the prerequisites (terraform, Google credentials), plans the infrastructure\n" +
			"(an Autopilot cluster, an Artifact Registry repository, with --domain an HTTPS address),\n" +
			"asks before applying unless --yes, pushes the desktop image, applies the gke manifests,\n" +
			"waits for the first frame and prints the URL. Without --domain nothing is public: the\n" +
			"desktop is reached through a port-forward over the cluster's API server, which stays\n" +
			"open until Ctrl-C (--detach: exit instead). Run it again to continue after a failure.",
		Flags:        append(flags, o.image.flags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Errorf("promote gke takes no arguments")}
			}
			if o.planOnly && o.destroy {
				return &usageError{errors.New("--plan and --destroy cannot be combined")}
			}
			return runPromoteGKE(c, a, o)
		},
	}
}

func gkeFlags(o *promoteOptions) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "project", Destination: &o.project, EnvVars: []string{"MVM_GKE_PROJECT"},
			Usage: "Google Cloud project ID"},
		&cli.StringFlag{Name: "region", Destination: &o.region, EnvVars: []string{"MVM_GKE_REGION"},
			Usage: "Google Cloud region, such as europe-west1"},
		&cli.StringFlag{Name: "cluster", Value: gke.DefaultName, Destination: &o.cluster,
			EnvVars: []string{"MVM_GKE_CLUSTER"}, Usage: "name of the cluster and of the image repository"},
		&cli.StringFlag{Name: "domain", Destination: &o.domain, EnvVars: []string{"MVM_GKE_DOMAIN"},
			Usage: "serve the desktop on https://DOMAIN with a Google-managed certificate (default: private)"},
		&cli.StringFlag{Name: "state-bucket", Destination: &o.stateBucket, EnvVars: []string{"MVM_GKE_STATE_BUCKET"},
			Usage: "Cloud Storage bucket for Terraform's state (default: local state in mvm's state directory)"},
		&cli.StringFlag{Name: "module", Destination: &o.module, EnvVars: []string{"MVM_GKE_MODULE"},
			Usage: "Terraform module to use instead of mvm's own; it must have the same variables and outputs"},
		&cli.StringFlag{Name: "namespace", Value: manifests.DefaultNamespace, Destination: &o.namespace,
			EnvVars: []string{"MVM_NAMESPACE"}, Usage: "Kubernetes namespace of the desktops; --destroy deletes it"},
		&cli.BoolFlag{Name: "deletion-protection", Destination: &o.deletionProtection,
			Usage: "make GKE refuse to delete the cluster (then --destroy fails until it is turned off)"},
		&cli.BoolFlag{Name: "plan", Destination: &o.planOnly, Usage: "show what would change, and stop"},
		&cli.BoolFlag{Name: "destroy", Destination: &o.destroy, Usage: "remove everything promote made"},
		&cli.BoolFlag{Name: "yes", Aliases: []string{"y"}, Destination: &o.yes,
			Usage: "apply the plan without asking"},
		&cli.BoolFlag{Name: "detach", Destination: &o.detach,
			Usage: "without --domain, exit after the probe instead of keeping the port-forward open"},
	}
}

func runPromoteGKE(c *cli.Context, a *app, o *promoteOptions) error {
	memory, err := o.check()
	if err != nil {
		return err
	}
	in, err := gke.Prepare(c.Context, o.target(), gke.Options{Logger: a.log})
	if err != nil {
		return err
	}

	switch {
	case o.destroy:
		return runTeardown(c, a, o, in)
	case o.planOnly:
		res, err := in.Promote(c.Context, gke.PromoteOptions{PlanOnly: true})
		if err != nil {
			return err
		}
		return printSummary(a, o, res.Summary)
	}
	return runPromote(c, a, o, in, memory)
}

func (o *promoteOptions) target() gke.Target {
	return gke.Target{
		Project:            o.project,
		Region:             o.region,
		Name:               o.cluster,
		Domain:             o.domain,
		DeletionProtection: o.deletionProtection,
		StateBucket:        o.stateBucket,
		ModuleDir:          o.module,
	}
}

func runPromote(c *cli.Context, a *app, o *promoteOptions, in *gke.Infra, memory int64) error {
	e, err := engine.Connect(c.Context)
	if err != nil {
		return err
	}
	defer e.Close()
	img, err := promoteImage(c, a, o, e)
	if err != nil {
		return err
	}
	rec, cold, err := gkeDesktop(a, o)
	if err != nil {
		return err
	}

	res, err := in.Promote(c.Context, gke.PromoteOptions{
		Desktop: manifests.Params{
			Name: o.name, Namespace: o.namespace, Token: rec.Token, Resolution: o.resolution, Persist: o.persist,
			CPU:    manifests.Same(*resource.NewMilliQuantity(int64(o.cpus*1000), resource.DecimalSI)),
			Memory: manifests.Same(*resource.NewQuantity(memory, resource.BinarySI)),
		},
		Image:        img,
		Engine:       e,
		Confirm:      confirmer(a, o),
		ReadyTimeout: o.timeout,
	})
	if err != nil {
		return err
	}
	defer res.Forward.Close()
	return reportPromoted(c, a, o, res, rec, cold)
}

// promoteImage builds the desktop image, or finds it built.
func promoteImage(c *cli.Context, a *app, o *promoteOptions, e *client.Client) (string, error) {
	bo, err := o.image.build(a)
	if err != nil {
		return "", err
	}
	img, err := ensureImage(c, a, e, bo)
	return img.Ref, err
}

// gkeDesktop returns the desktop's record, keeping the token of an earlier
// promote so that a rerun does not restart the desktop, and saves it before
// anything is deployed: a failed run leaves a record the rerun reuses.
func gkeDesktop(a *app, o *promoteOptions) (state.Desktop, bool, error) {
	where := strings.Join([]string{o.project, o.region, o.cluster}, "/")
	rec, err := a.store.Desktop(gkeTarget, o.name)
	if err == nil && rec.Context == where {
		return rec, false, nil
	}
	if err != nil && !errors.Is(err, state.ErrNotFound) {
		return rec, false, err
	}

	token, err := desktop.NewToken()
	if err != nil {
		return rec, false, err
	}
	rec = state.Desktop{Target: gkeTarget, Name: o.name, Token: token, Context: where, Created: time.Now().UTC()}
	return rec, true, a.store.SaveDesktop(rec)
}

func reportPromoted(c *cli.Context, a *app, o *promoteOptions, res *gke.Result, rec state.Desktop, cold bool) error {
	if o.domain != "" {
		rec.URL = res.URL
		a.log.Warnf("point the DNS A record of %s at %s; Google issues its certificate after that "+
			"(up to an hour); until then, use the port-forward", o.domain, res.Outputs.IngressIP)
	}
	if err := a.store.SaveDesktop(rec); err != nil {
		return err
	}
	if err := a.store.AppendStart(res.Timer.Record(gkeTarget, o.name, cold)); err != nil {
		a.log.Warnf("record the start: %v", err)
	}

	url := desktop.URLWithToken(res.URL, rec.Token)
	r := ready{target: gkeTarget, action: "promoted", name: o.name, url: url, timer: res.Timer}
	if err := reportReady(c, a, &o.desktopOptions, r); err != nil {
		return err
	}
	if o.domain != "" || o.detach {
		return nil
	}
	return holdForward(c.Context, a, res.Forward)
}

// holdForward keeps the port-forward open until Ctrl-C.
func holdForward(ctx context.Context, a *app, f *gke.Forward) error {
	a.log.V(0).Info("• Forwarding " + f.URL + " to the desktop through the cluster's API server; Ctrl-C to stop")
	select {
	case <-ctx.Done():
		return nil
	case err := <-f.Done():
		return fmt.Errorf("the port-forward to the desktop stopped (run promote again to reopen it): %w", err)
	}
}

func runTeardown(c *cli.Context, a *app, o *promoteOptions, in *gke.Infra) error {
	s, err := in.Teardown(c.Context, gke.TeardownOptions{Namespace: o.namespace, Confirm: confirmer(a, o)})
	if err != nil {
		return err
	}
	if err := deleteGKERecords(a, o); err != nil {
		return err
	}
	a.log.V(0).Info("✓ Removed " + s.Counts())
	return nil
}

// deleteGKERecords forgets the desktops that ran on the removed cluster.
func deleteGKERecords(a *app, o *promoteOptions) error {
	where := strings.Join([]string{o.project, o.region, o.cluster}, "/")
	recs, err := a.store.Desktops(gkeTarget)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if r.Context == where {
			if err := a.store.DeleteDesktop(gkeTarget, r.Name); err != nil {
				return err
			}
		}
	}
	return nil
}

// printSummary prints a plan: data on stdout, as text or JSON.
func printSummary(a *app, o *promoteOptions, s *gke.Summary) error {
	if o.jsonOut {
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	_, err := fmt.Fprintln(a.out, s.String())
	return err
}

// confirmer asks before the plan, which was just shown, is applied: on a
// terminal it reads y or n; elsewhere it needs --yes.
func confirmer(a *app, o *promoteOptions) func(*gke.Summary) error {
	if o.yes {
		return nil
	}
	return func(*gke.Summary) error {
		if !term.IsTerminal(int(os.Stdin.Fd())) {
			return errors.New("the plan above changes infrastructure and there is no terminal to confirm it: " +
				"rerun with --yes to apply it")
		}
		fmt.Fprint(a.errOut, "Apply this plan? [y/N] ")
		answer, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a == "y" || a == "yes" {
			return nil
		}
		return gke.ErrDeclined
	}
}
