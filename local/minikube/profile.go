package minikube

import (
	"context"
	"encoding/json"
	"fmt"
)

// Profile is one minikube profile, as `minikube profile list -o json`
// describes it.
type Profile struct {
	Name string
	// Status is minikube's word for it: Running, Stopped, Paused, Unknown...
	Status string
	// Driver is the driver it was started with (mvm needs docker).
	Driver string
	// ExposedPorts are the --ports it was started with.
	ExposedPorts []string
}

// Running reports whether the profile's cluster runs.
func (p *Profile) Running() bool { return p.Status == "Running" }

// Status returns the CLI's profile, or nil when it does not exist.
func (m *CLI) Status(ctx context.Context) (*Profile, error) {
	out, err := m.Runner.Output(ctx, execCmd(m.Binary, "profile", "list", "--output", "json"))
	// minikube exits non-zero when a profile is broken, yet still writes the
	// list; only unreadable output is an error.
	ps, perr := ParseProfiles(out)
	if perr != nil {
		if err != nil {
			return nil, fmt.Errorf("list minikube profiles: %w", err)
		}
		return nil, perr
	}
	for i := range ps {
		if ps[i].Name == m.Profile {
			return &ps[i], nil
		}
	}
	return nil, nil
}

// ParseProfiles reads the valid profiles from the output of
// `minikube profile list -o json`.
func ParseProfiles(b []byte) ([]Profile, error) {
	var v struct {
		Valid []struct {
			Name   string
			Status string
			Config struct {
				Driver       string
				ExposedPorts []string
			}
		} `json:"valid"`
		Error any `json:"error"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("read minikube's profile list: %w", err)
	}
	if v.Error != nil {
		return nil, fmt.Errorf("minikube could not list its profiles: %v", v.Error)
	}
	out := make([]Profile, 0, len(v.Valid))
	for _, p := range v.Valid {
		out = append(out, Profile{
			Name: p.Name, Status: p.Status, Driver: p.Config.Driver, ExposedPorts: p.Config.ExposedPorts,
		})
	}
	return out, nil
}
