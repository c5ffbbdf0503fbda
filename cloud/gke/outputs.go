package gke

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Outputs are the module's outputs: the contract between mvm and any module
// it applies. Every one is a string.
type Outputs struct {
	// ClusterEndpoint is the HTTPS URL (or host) of the Kubernetes API server.
	ClusterEndpoint string
	// ClusterCACertificate is the cluster CA's PEM certificate, base64-encoded
	// as GKE gives it.
	ClusterCACertificate string
	// RepositoryURL is the Docker repository for the desktop image, such as
	// europe-west1-docker.pkg.dev/PROJECT/mvm.
	RepositoryURL string
	// IngressIP is the global address for the HTTPS Ingress; empty without a
	// domain. The embedded module names that address NAME-ingress, the name
	// an Ingress gives in kubernetes.io/ingress.global-static-ip-name.
	IngressIP string
	// ClusterName is the GKE cluster's name.
	ClusterName string
	// Location is the cluster's location (its region).
	Location string
}

// fields pairs each output's name with where it goes.
func (o *Outputs) fields() []struct {
	name string
	dst  *string
} {
	return []struct {
		name string
		dst  *string
	}{
		{"cluster_endpoint", &o.ClusterEndpoint},
		{"cluster_ca_certificate", &o.ClusterCACertificate},
		{"repository_url", &o.RepositoryURL},
		{"ingress_ip", &o.IngressIP},
		{"cluster_name", &o.ClusterName},
		{"location", &o.Location},
	}
}

// Outputs reads the outputs from the target's state.
func (in *Infra) Outputs(ctx context.Context) (*Outputs, error) {
	var meta map[string]tfexec.OutputMeta
	err := in.run(ctx, "output", func(ctx context.Context) error {
		var err error
		meta, err = in.tf.Output(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return decodeOutputs(meta)
}

// decodeOutputs checks the outputs against the contract: all present, all
// strings.
func decodeOutputs(meta map[string]tfexec.OutputMeta) (*Outputs, error) {
	if len(meta) == 0 {
		return nil, fmt.Errorf("the state has no outputs: apply the infrastructure first")
	}

	o := &Outputs{}
	var missing []string
	for _, f := range o.fields() {
		m, ok := meta[f.name]
		if !ok {
			missing = append(missing, f.name)
			continue
		}
		if err := json.Unmarshal(m.Value, f.dst); err != nil {
			return nil, fmt.Errorf("output %s is not a string: %s", f.name, m.Value)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the module has no output %s: a module for mvm must declare every output of mvm's own",
			strings.Join(missing, ", "))
	}
	return o, nil
}
