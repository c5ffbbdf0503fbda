package kind

import (
	"context"
	"fmt"

	"github.com/mvm-dev/mvm/internal/kube"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/manifests"
)

// DownOptions configure [Down].
type DownOptions struct {
	Cluster *Cluster
	// Desktop is the desktop to remove, in Namespace (empty: "mvm").
	Desktop   string
	Namespace string
	// Home also deletes the desktop's persistent home.
	Home bool
	// DeleteCluster deletes the whole cluster, with every desktop on it.
	DeleteCluster bool
	Store         state.Store
	Logger        *log.Logger
}

// Down removes a desktop from the cluster, or the cluster itself, and
// forgets what mvm recorded about it. Removing what is not there succeeds.
// It returns what it deleted, as "Kind/name" strings.
func Down(ctx context.Context, o DownOptions) ([]string, error) {
	exists, err := o.Cluster.Exists()
	if err != nil {
		return nil, err
	}
	if o.DeleteCluster {
		return deleteCluster(o, exists)
	}
	if !exists {
		return nil, o.Store.DeleteDesktop(Target, o.Desktop)
	}

	cfg, err := o.Cluster.RESTConfig()
	if err != nil {
		return nil, err
	}
	c, err := kube.Connect(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("Kind cluster %s: %w", o.Cluster.Name, err)
	}
	ns := o.Namespace
	if ns == "" {
		ns = manifests.DefaultNamespace
	}

	step := o.Logger.StartStep("Removing desktop " + o.Desktop + " from Kind cluster " + o.Cluster.Name)
	deleted, err := c.Delete(ctx, ns, o.Desktop, !o.Home)
	step.Done(err)
	if err != nil {
		return deleted, err
	}
	return deleted, o.Store.DeleteDesktop(Target, o.Desktop)
}

func deleteCluster(o DownOptions, exists bool) ([]string, error) {
	var deleted []string
	if exists {
		step := o.Logger.StartStep("Deleting Kind cluster " + o.Cluster.Name)
		err := o.Cluster.Delete()
		step.Done(err)
		if err != nil {
			return nil, err
		}
		deleted = append(deleted, "Cluster/"+o.Cluster.Name)
	}

	recs, err := o.Store.Desktops(Target)
	if err != nil {
		return deleted, err
	}
	for _, r := range recs {
		if r.Context == o.Cluster.Context() {
			if err := o.Store.DeleteDesktop(Target, r.Name); err != nil {
				return deleted, err
			}
		}
	}
	return deleted, nil
}
