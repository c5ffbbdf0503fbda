package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/local/kind"
)

type kindOptions struct {
	desktopOptions
	image     imageOptions
	cluster   string
	nodeImage string
	deleteOptions
}

func kindCommand(a *app) *cli.Command {
	o := &kindOptions{}
	flags := append(o.desktopOptions.flags("dev"),
		&cli.StringFlag{Name: "cluster-name", Value: kind.DefaultCluster, Destination: &o.cluster,
			EnvVars: []string{"MVM_KIND_CLUSTER"}, Usage: "Kind cluster to use, created if missing"},
		&cli.StringFlag{Name: "image", Aliases: []string{"node-image"}, Destination: &o.nodeImage,
			EnvVars: []string{"MVM_KIND_NODE_IMAGE"},
			Usage:   "node image of a cluster that mvm creates (default: kind's own)"},
	)
	flags = append(flags, o.deleteOptions.flags("Kind cluster")...)
	return &cli.Command{
		Name:  "kind",
		Usage: "run a desktop on a local Kind cluster and print its URL",
		Description: "Creates the Kind cluster if needed (one node, desktop ports published on 127.0.0.1),\n" +
			"loads the desktop image into it from Docker, deploys the desktop with the same manifests\n" +
			"as GKE, waits for its first frame and prints the URL. Running it again with nothing\n" +
			"changed only checks. --delete removes the desktop, --delete --cluster the cluster.",
		Flags:        append(flags, o.image.flags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if err := o.checkDelete(c); err != nil {
				return err
			}
			if o.remove {
				return runKindDelete(c, a, o)
			}
			return runKind(c, a, o)
		},
	}
}

func runKind(c *cli.Context, a *app, o *kindOptions) error {
	memory, err := o.check()
	if err != nil {
		return err
	}
	cl, err := kind.New(o.cluster, a.log)
	if err != nil {
		return err
	}
	e, img, err := imageOnEngine(c, a, &o.image)
	if err != nil {
		return err
	}
	defer e.Close()

	res, err := kind.Up(c.Context, kind.UpOptions{
		Cluster:   cl,
		NodeImage: o.nodeImage,
		Engine:    e,
		Desktop:   clusterParams(&o.desktopOptions, img.Ref, memory),
		ImageID:   img.ID,
		Timeout:   o.timeout,
		Store:     a.store,
		Logger:    a.log,
	})
	if err != nil {
		return err
	}
	return reportReady(c, a, &o.desktopOptions, ready{
		target: kind.Target, action: string(res.Action), name: res.Name, url: res.URL(), timer: res.Timer,
	})
}

func runKindDelete(c *cli.Context, a *app, o *kindOptions) error {
	if !o.deleteOptions.cluster {
		if _, err := o.check(); err != nil {
			return err
		}
	}
	cl, err := kind.New(o.cluster, a.log)
	if err != nil {
		return err
	}
	deleted, err := kind.Down(c.Context, kind.DownOptions{
		Cluster: cl, Desktop: o.name, Home: o.home, DeleteCluster: o.deleteOptions.cluster,
		Store: a.store, Logger: a.log,
	})
	if err != nil {
		return err
	}
	switch {
	case len(deleted) > 0:
	case o.deleteOptions.cluster:
		a.log.Warnf("nothing to delete: there is no Kind cluster %s", o.cluster)
	default:
		a.log.Warnf("nothing to delete: no desktop %s on Kind cluster %s", o.name, o.cluster)
	}
	for _, d := range deleted {
		fmt.Fprintln(a.out, d)
	}
	return nil
}
