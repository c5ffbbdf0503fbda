package docker

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/errdefs"
	"github.com/docker/go-connections/nat"
)

// Desktop is a desktop container as mvm sees it.
type Desktop struct {
	Name        string    `json:"name"`
	ContainerID string    `json:"container_id"`
	Image       string    `json:"image"`
	ImageID     string    `json:"image_id"`
	State       string    `json:"state"`
	Flavor      string    `json:"flavor,omitempty"`
	Resolution  string    `json:"resolution,omitempty"`
	Port        int       `json:"port,omitempty"`
	VNCPort     int       `json:"vnc_port,omitempty"`
	Persist     bool      `json:"persist"`
	Created     time.Time `json:"created"`
	StartedAt   time.Time `json:"started_at,omitzero"`
}

// URL is the desktop's address on this machine, without the token.
func (d Desktop) URL() string {
	if d.Port == 0 {
		return ""
	}
	return "http://127.0.0.1:" + strconv.Itoa(d.Port)
}

// Running reports whether the container runs.
func (d Desktop) Running() bool { return d.State == "running" }

// Find returns the desktop called name, or nil when there is none.
func Find(ctx context.Context, e Engine, name string) (*Desktop, error) {
	c, err := e.ContainerInspect(ctx, ContainerName(name))
	if errdefs.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("inspect desktop %s: %w", name, err)
	}
	if c.Config == nil || c.Config.Labels[LabelManaged] != managedBy {
		return nil, fmt.Errorf("a container named %s exists but was not made by mvm: rename or remove it, "+
			"or choose another name with --name", ContainerName(name))
	}
	return fromInspect(c), nil
}

// List returns every desktop container mvm made on this engine, by name.
func List(ctx context.Context, e Engine) ([]Desktop, error) {
	cs, err := e.ContainerList(ctx, container.ListOptions{
		All:     true,
		Filters: filters.NewArgs(filters.Arg("label", LabelManaged+"="+managedBy), filters.Arg("label", LabelDesktop)),
	})
	if err != nil {
		return nil, fmt.Errorf("list desktops: %w", err)
	}

	out := make([]Desktop, 0, len(cs))
	for _, c := range cs {
		out = append(out, fromSummary(c))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func fromSummary(c container.Summary) Desktop {
	d := Desktop{
		Name:        c.Labels[LabelDesktop],
		ContainerID: c.ID,
		Image:       c.Image,
		ImageID:     c.ImageID,
		State:       string(c.State),
		Flavor:      c.Labels[LabelFlavor],
		Resolution:  c.Labels[LabelRes],
		Persist:     c.Labels[LabelPersist] == "true",
		Created:     time.Unix(c.Created, 0),
	}
	for _, p := range c.Ports {
		switch {
		case p.PublicPort == 0:
		case int(p.PrivatePort) == agentPort.Int():
			d.Port = int(p.PublicPort)
		case int(p.PrivatePort) == vncPort.Int():
			d.VNCPort = int(p.PublicPort)
		}
	}
	return d
}

func fromInspect(c container.InspectResponse) *Desktop {
	d := &Desktop{
		Name:        c.Config.Labels[LabelDesktop],
		ContainerID: c.ID,
		Image:       c.Config.Image,
		ImageID:     c.Image,
		Flavor:      c.Config.Labels[LabelFlavor],
		Resolution:  c.Config.Labels[LabelRes],
		Persist:     c.Config.Labels[LabelPersist] == "true",
	}
	d.Created, _ = time.Parse(time.RFC3339Nano, c.Created)
	if c.State != nil {
		d.State = string(c.State.Status)
		d.StartedAt, _ = time.Parse(time.RFC3339Nano, c.State.StartedAt)
	}
	if c.NetworkSettings != nil {
		d.Port = hostPort(c.NetworkSettings.Ports[agentPort])
		d.VNCPort = hostPort(c.NetworkSettings.Ports[vncPort])
	}
	return d
}

func hostPort(bindings []nat.PortBinding) int {
	for _, b := range bindings {
		if p, err := strconv.Atoi(b.HostPort); err == nil {
			return p
		}
	}
	return 0
}

// VNCAddress is the address for native VNC viewers, when the desktop has one.
func (d Desktop) VNCAddress() string {
	if d.VNCPort == 0 {
		return ""
	}
	return "vnc://127.0.0.1:" + strconv.Itoa(d.VNCPort)
}
