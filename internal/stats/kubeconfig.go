package stats

import (
	"context"

	"github.com/mvm-dev/mvm/internal/kube"
)

// KubeconfigConnector connects through the contexts of the default
// kubeconfig ($KUBECONFIG, else ~/.kube/config), the way every mvm command
// reaches a cluster, and checks that the API server answers.
func KubeconfigConnector() KubeConnector {
	return func(ctx context.Context, kubeContext string) (KubeClient, error) {
		cfg, err := kube.ConfigFromKubeconfig("", kubeContext)
		if err != nil {
			return nil, err
		}
		return kube.Connect(ctx, cfg)
	}
}
