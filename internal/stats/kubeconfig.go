package stats

import (
	"context"
	"strings"

	"github.com/mvm-dev/mvm/cloud/gke"
	"github.com/mvm-dev/mvm/internal/kube"
)

// KubeconfigConnector connects to Kind and Minikube through the contexts
// of the default kubeconfig ($KUBECONFIG, else ~/.kube/config), the way
// every mvm command reaches them, and to a GKE target (recorded as
// PROJECT/REGION/NAME) the way mvm promote gke reaches it: see
// [GKEConnector]. It checks that the API server answers.
func KubeconfigConnector() KubeConnector {
	toGKE := GKEConnector(gke.Options{})
	return func(ctx context.Context, target, where string) (KubeClient, error) {
		if target == "gke" && strings.Count(where, "/") == 2 {
			return toGKE(ctx, target, where)
		}
		cfg, err := kube.ConfigFromKubeconfig("", where)
		if err != nil {
			return nil, err
		}
		return kube.Connect(ctx, cfg)
	}
}

// GKEConnector connects to the cluster of a GKE target that mvm promoted
// to: the endpoint and CA from the Terraform outputs in the target's
// working directory (terraform output, once per collector: the client is
// kept between refreshes), and a Google access token from the credentials
// that promote uses.
//
// TODO: while a GKE cluster does not answer, every refresh of a watch
// connects again and so runs terraform output again; the outputs could be
// kept apart from the connection.
func GKEConnector(o gke.Options) KubeConnector {
	return func(ctx context.Context, _, where string) (KubeClient, error) {
		t, err := gke.ParseWhere(where)
		if err != nil {
			return nil, err
		}
		return gke.Connect(ctx, t, o)
	}
}
