package cluster

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/manifests"
)

// DeployOptions configure [Deploy].
type DeployOptions struct {
	Client *kube.Client
	// Params is the desktop; Deploy fills in its namespace, token and node
	// port.
	Params manifests.Params
	// Ports maps the node ports the cluster publishes to their address on
	// 127.0.0.1.
	Ports map[int32]string
	// Timeout bounds the rollout and the first frame together.
	Timeout time.Duration
	Timer   *desktop.Timer
	Logger  *log.Logger
}

// Action says what [Deploy] did.
type Action string

// Actions of [Deploy].
const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "reused"
)

// Deployed is a desktop that served its first frame.
type Deployed struct {
	Name string
	// Base is the desktop's address without the token.
	Base     string
	Token    string
	NodePort int32
	Action   Action
	Frame    *probe.Frame
}

// URL is the address to open, with the token.
func (d *Deployed) URL() string { return desktop.URLWithToken(d.Base, d.Token) }

// Deploy applies the desktop of o.Params, waits for its rollout and probes
// its first frame. A second Deploy of the same desktop changes nothing and
// only probes. A desktop that this call created and that does not come up
// is deleted again, with its home if the home is new too.
func Deploy(ctx context.Context, o DeployOptions) (*Deployed, error) {
	p := o.Params
	if p.Namespace == "" {
		p.Namespace = manifests.DefaultNamespace
	}
	d, err := prepare(ctx, o.Client, &p, o.Ports)
	if err != nil {
		return nil, err
	}

	step := o.Logger.StartStep("Applying desktop " + p.Name)
	res, err := apply(ctx, o.Client, p)
	step.Done(err)
	if err != nil {
		return nil, err
	}
	o.Timer.Mark("apply", time.Time{})
	d.Action = action(res)

	if err := awaitReady(ctx, o, p, d); err != nil {
		if d.Action != Created {
			// TODO: roll back to the previous revision instead of leaving
			// the failed one in place.
			return nil, fmt.Errorf("%w (desktop %s is left as applied, for a look with kubectl; "+
				"run mvm again with the previous settings, or delete it)", err, p.Name)
		}
		return nil, errors.Join(err, undo(ctx, o, p, res))
	}
	return d, nil
}

// prepare picks the desktop's token and node port: the ones it has if it
// exists, so that nothing changes, or a new token and a free port.
func prepare(ctx context.Context, c *kube.Client, p *manifests.Params, ports map[int32]string) (*Deployed, error) {
	token, err := c.DesktopToken(ctx, p.Namespace, p.Name)
	if err != nil {
		return nil, err
	}
	if token == "" {
		if token, err = desktop.NewToken(); err != nil {
			return nil, err
		}
	}
	p.Token = token

	used, err := c.DesktopNodePorts(ctx)
	if err != nil {
		return nil, err
	}
	p.NodePort, err = choosePort(p.Namespace+"/"+p.Name, ports, used)
	if err != nil {
		return nil, err
	}
	return &Deployed{Name: p.Name, Token: token, NodePort: p.NodePort, Base: "http://" + ports[p.NodePort]}, nil
}

// choosePort is the node port the desktop already has, else the lowest
// published one that no desktop uses.
func choosePort(desktop string, published map[int32]string, used map[int32]string) (int32, error) {
	free := make([]int32, 0, len(published))
	for port := range published {
		if used[port] == desktop {
			return port, nil
		}
		if used[port] == "" {
			free = append(free, port)
		}
	}
	if len(free) == 0 {
		return 0, fmt.Errorf("all %d desktop ports of the cluster are taken (by %s): delete a desktop first",
			len(published), strings.Join(sortedValues(used), ", "))
	}
	return slices.Min(free), nil
}

func sortedValues(m map[int32]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.Sort(out)
	return out
}

func apply(ctx context.Context, c *kube.Client, p manifests.Params) (kube.ApplyResult, error) {
	objs, err := manifests.Render(p)
	if err != nil {
		return kube.ApplyResult{}, err
	}
	return c.Apply(ctx, objs, kube.ApplyOptions{Namespace: p.Namespace, Desktop: p.Name})
}

func action(r kube.ApplyResult) Action {
	for _, name := range r.Created {
		if strings.HasPrefix(name, "Deployment/") {
			return Created
		}
	}
	if r.NoOp() {
		return Unchanged
	}
	return Updated
}

// awaitReady waits for the rollout, then for the first frame.
func awaitReady(ctx context.Context, o DeployOptions, p manifests.Params, d *Deployed) error {
	timeout := o.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	step := o.Logger.StartStep("Waiting for desktop " + p.Name + " to roll out")
	err := o.Client.WaitRollout(ctx, kube.RolloutOptions{
		Namespace: p.Namespace, Desktop: p.Name, Progress: step.Update,
	})
	step.Done(err)
	if err != nil {
		return err
	}
	o.Timer.Mark("rollout", time.Time{})

	ph, err := probe.WaitReady(ctx, d.Base, d.Token)
	if err != nil {
		return fmt.Errorf("desktop %s rolled out but serves no frame at %s: %w", p.Name, d.Base, err)
	}
	o.Timer.Mark("first frame", ph.FirstFrame)
	d.Frame = ph.Frame
	return nil
}

// undo deletes a desktop that this deploy created and that did not come up,
// so that nothing is left half made; an existing desktop is left as it is
// for the user to look at. A home made by this deploy holds nothing yet and
// goes too.
func undo(ctx context.Context, o DeployOptions, p manifests.Params, r kube.ApplyResult) error {
	if action(r) != Created {
		return nil
	}
	keepHome := !slices.Contains(r.Created, "PersistentVolumeClaim/"+manifests.HomeClaimName(p.Name))

	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, err := o.Client.Delete(ctx, p.Namespace, p.Name, keepHome); err != nil {
		return fmt.Errorf("remove the desktop that did not come up (run mvm's delete): %w", err)
	}
	return nil
}
