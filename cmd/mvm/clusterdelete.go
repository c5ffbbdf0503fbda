package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"
)

// deleteOptions are the --delete flags of the commands that run desktops on
// a local cluster.
type deleteOptions struct {
	remove  bool
	cluster bool
	home    bool
}

// flags names the cluster kind ("Kind cluster", "minikube profile") that
// --cluster deletes.
func (o *deleteOptions) flags(clusterKind string) []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "delete", Destination: &o.remove,
			Usage: "remove the desktop (its persistent home stays unless --home is given)"},
		&cli.BoolFlag{Name: "cluster", Destination: &o.cluster,
			Usage: "with --delete: delete the whole " + clusterKind},
		&cli.BoolFlag{Name: "home", Destination: &o.home,
			Usage: "with --delete: also delete the desktop's persistent home and its files"},
	}
}

// checkDelete refuses arguments, and --cluster or --home without --delete.
func (o *deleteOptions) checkDelete(c *cli.Context) error {
	if c.NArg() > 0 {
		return &usageError{fmt.Errorf("%s takes no arguments; name the desktop with --name", c.Command.Name)}
	}
	if (o.cluster || o.home) && !o.remove {
		return &usageError{errors.New("--cluster and --home go with --delete")}
	}
	return nil
}
