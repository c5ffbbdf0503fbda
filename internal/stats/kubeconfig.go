package stats

import (
	"context"
	"fmt"
	"strings"

	"github.com/mvm-dev/mvm/internal/kube"
)

// KubeconfigConnector connects through the contexts of the default
// kubeconfig ($KUBECONFIG, else ~/.kube/config), the way every mvm command
// reaches a Kind or Minikube cluster, and checks that the API server
// answers.
func KubeconfigConnector() KubeConnector {
	return func(ctx context.Context, target, where string) (KubeClient, error) {
		if target == "gke" && strings.Count(where, "/") == 2 {
			return nil, gkeUnsupported(where)
		}
		cfg, err := kube.ConfigFromKubeconfig("", where)
		if err != nil {
			return nil, err
		}
		return kube.Connect(ctx, cfg)
	}
}

// gkeUnsupported explains why a GKE desktop is not read.
//
// TODO: mvm promote records a GKE desktop by project/region/cluster, not
// by kube context; reading it needs the cluster's endpoint and CA in the
// record (then kube.ConfigFromToken with the Google access token), rather
// than running terraform on every refresh.
func gkeUnsupported(where string) error {
	return fmt.Errorf("GKE cluster %s: mvm stats cannot read GKE desktops yet (they are recorded "+
		"without the cluster's address); use kubectl top pods -n mvm with its kube context", where)
}
