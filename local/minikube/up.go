package minikube

import (
	"context"
	"fmt"
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/local/cluster"
	"github.com/mvm-dev/mvm/manifests"
)

// Target is the name of this target in state and output.
const Target = "minikube"

// DefaultProfile is the profile's name unless told otherwise.
const DefaultProfile = "mvm"

// UpOptions configure [Up].
type UpOptions struct {
	CLI *CLI
	// Engine reads the profile's node container (its published ports).
	Engine cluster.Inspector
	// Desktop is the desktop to run; its Image must be in the engine, with
	// the engine ID ImageID.
	Desktop manifests.Params
	ImageID string
	Timeout time.Duration
	Store   state.Store
	Logger  *log.Logger
}

// UpResult is a desktop on Minikube that served its first frame.
type UpResult struct {
	*cluster.Deployed
	Started bool
	Loaded  bool
	Timer   *desktop.Timer
}

// Up starts the profile unless it runs, loads the image unless the profile
// has it, deploys the desktop and waits for its first frame, timing the
// phases cluster, load, apply, rollout and first frame.
func Up(ctx context.Context, o UpOptions) (*UpResult, error) {
	res := &UpResult{Timer: desktop.NewTimer()}
	if err := ensureProfile(ctx, o, res); err != nil {
		return nil, err
	}
	ports, err := cluster.HostPorts(ctx, o.Engine, o.CLI.Profile, cluster.FirstNodePort, cluster.NodePorts)
	if err != nil {
		return nil, fmt.Errorf("minikube profile %s: %w", o.CLI.Profile, err)
	}
	if len(ports) == 0 {
		return nil, fmt.Errorf("minikube profile %s publishes no desktop ports (mvm did not start it): "+
			"name another profile with --profile and mvm starts one that does", o.CLI.Profile)
	}
	c, err := connect(ctx, o.CLI.Profile)
	if err != nil {
		return nil, err
	}
	res.Timer.Mark("cluster", time.Time{})

	step := o.Logger.StartStep("Loading " + o.Desktop.Image + " into minikube profile " + o.CLI.Profile)
	res.Loaded, err = o.CLI.LoadImage(ctx, o.Desktop.Image, o.ImageID)
	step.Done(err)
	if err != nil {
		return nil, err
	}
	res.Timer.Mark("load", time.Time{})

	p := o.Desktop
	p.Overlay = manifests.Minikube
	res.Deployed, err = cluster.Deploy(ctx, cluster.DeployOptions{
		Client: c, Params: p, Ports: ports, Timeout: o.Timeout, Timer: res.Timer, Logger: o.Logger,
	})
	if err != nil {
		return nil, err
	}
	return res, cluster.Record(o.Store, Target, o.CLI.Profile, res.Deployed, res.Timer)
}

// ensureProfile checks minikube's version and the profile's driver, and
// starts the profile unless it runs.
func ensureProfile(ctx context.Context, o UpOptions, res *UpResult) error {
	v, err := o.CLI.Version(ctx)
	if err != nil {
		return err
	}
	if !v.AtLeast(MinVersion) {
		return fmt.Errorf("minikube %s is older than %s, the oldest mvm drives: upgrade it "+
			"(https://minikube.sigs.k8s.io/docs/start/)", v, MinVersion)
	}
	prof, err := o.CLI.Status(ctx)
	if err != nil {
		return err
	}
	if prof != nil && prof.Driver != "docker" {
		return fmt.Errorf("minikube profile %s uses the %s driver, and mvm needs docker: "+
			"name another profile with --profile", prof.Name, prof.Driver)
	}
	if prof != nil && prof.Running() {
		return nil
	}

	if err := kube.CheckKubeconfig(""); err != nil {
		return err
	}
	step := o.Logger.StartStep("Starting minikube profile " + o.CLI.Profile)
	err = o.CLI.Start(ctx, StartOptions{Ports: desktopPorts(), Progress: step.Update})
	step.Done(err)
	res.Started = err == nil
	return err
}

func desktopPorts() []int32 {
	out := make([]int32, 0, cluster.NodePorts)
	for i := range int32(cluster.NodePorts) {
		out = append(out, cluster.FirstNodePort+i)
	}
	return out
}

// connect reaches the profile's API server through its kube context, which
// minikube names after the profile.
func connect(ctx context.Context, profile string) (*kube.Client, error) {
	cfg, err := kube.ConfigFromKubeconfig("", profile)
	if err != nil {
		return nil, err
	}
	c, err := kube.Connect(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("minikube profile %s: %w", profile, err)
	}
	return c, nil
}

// DownOptions configure [Down].
type DownOptions struct {
	CLI     *CLI
	Desktop string
	// Home also deletes the desktop's persistent home.
	Home bool
	// DeleteProfile deletes the whole profile, with every desktop on it.
	DeleteProfile bool
	Store         state.Store
	Logger        *log.Logger
}

// Down removes a desktop from the profile, or the profile itself, and
// forgets what mvm recorded about it. Removing what is not there succeeds.
func Down(ctx context.Context, o DownOptions) ([]string, error) {
	prof, err := o.CLI.Status(ctx)
	if err != nil {
		return nil, err
	}
	if o.DeleteProfile {
		return deleteProfile(ctx, o, prof != nil)
	}
	if prof == nil || !prof.Running() {
		return nil, o.Store.DeleteDesktop(Target, o.Desktop)
	}

	c, err := connect(ctx, o.CLI.Profile)
	if err != nil {
		return nil, err
	}
	step := o.Logger.StartStep("Removing desktop " + o.Desktop + " from minikube profile " + o.CLI.Profile)
	deleted, err := c.Delete(ctx, manifests.DefaultNamespace, o.Desktop, !o.Home)
	step.Done(err)
	if err != nil {
		return deleted, err
	}
	return deleted, o.Store.DeleteDesktop(Target, o.Desktop)
}

func deleteProfile(ctx context.Context, o DownOptions, exists bool) ([]string, error) {
	var deleted []string
	if exists {
		step := o.Logger.StartStep("Deleting minikube profile " + o.CLI.Profile)
		err := o.CLI.Delete(ctx)
		step.Done(err)
		if err != nil {
			return nil, err
		}
		deleted = append(deleted, "Profile/"+o.CLI.Profile)
	}
	recs, err := o.Store.Desktops(Target)
	if err != nil {
		return deleted, err
	}
	for _, r := range recs {
		if r.Context == o.CLI.Profile {
			if err := o.Store.DeleteDesktop(Target, r.Name); err != nil {
				return deleted, err
			}
		}
	}
	return deleted, nil
}
