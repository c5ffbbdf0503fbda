package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/local/minikube"
)

type minikubeOptions struct {
	desktopOptions
	image   imageOptions
	profile string
	deleteOptions
}

func minikubeCommand(a *app) *cli.Command {
	o := &minikubeOptions{}
	flags := append(o.desktopOptions.flags("dev"),
		&cli.StringFlag{Name: "profile", Aliases: []string{"p"}, Value: minikube.DefaultProfile,
			Destination: &o.profile, EnvVars: []string{"MVM_MINIKUBE_PROFILE"},
			Usage: "minikube profile to use, started if it does not run"},
	)
	flags = append(flags, o.deleteOptions.flags("minikube profile")...)
	return &cli.Command{
		Name:  "minikube",
		Usage: "run a desktop on a local minikube profile and print its URL",
		Description: "Starts the minikube profile if needed (docker driver, desktop ports published on\n" +
			"127.0.0.1), loads the desktop image with `minikube image load`, deploys the desktop with\n" +
			"the same manifests as Kind and GKE, waits for its first frame and prints the URL.\n" +
			"--delete removes the desktop, --delete --cluster the profile.",
		Flags:        append(flags, o.image.flags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if err := o.checkDelete(c); err != nil {
				return err
			}
			if err := minikube.ValidateProfile(o.profile); err != nil {
				return err
			}
			if o.remove {
				return runMinikubeDelete(c, a, o)
			}
			return runMinikube(c, a, o)
		},
	}
}

func runMinikube(c *cli.Context, a *app, o *minikubeOptions) error {
	memory, err := o.check()
	if err != nil {
		return err
	}
	mk, err := minikube.Find(o.profile)
	if err != nil {
		return err
	}
	e, img, err := imageOnEngine(c, a, &o.image)
	if err != nil {
		return err
	}
	defer e.Close()

	res, err := minikube.Up(c.Context, minikube.UpOptions{
		CLI:     mk,
		Engine:  e,
		Desktop: clusterParams(&o.desktopOptions, img.Ref, memory),
		ImageID: img.ID,
		Timeout: o.timeout,
		Store:   a.store,
		Logger:  a.log,
	})
	if err != nil {
		return err
	}
	return reportReady(c, a, &o.desktopOptions, ready{
		target: minikube.Target, action: string(res.Action), name: res.Name, url: res.URL(), timer: res.Timer,
	})
}

func runMinikubeDelete(c *cli.Context, a *app, o *minikubeOptions) error {
	if _, err := o.check(); err != nil && !o.deleteOptions.cluster {
		return err
	}
	mk, err := minikube.Find(o.profile)
	if err != nil {
		return err
	}
	deleted, err := minikube.Down(c.Context, minikube.DownOptions{
		CLI: mk, Desktop: o.name, Home: o.home, DeleteProfile: o.deleteOptions.cluster, Store: a.store, Logger: a.log,
	})
	if err != nil {
		return err
	}
	switch {
	case len(deleted) > 0:
	case o.deleteOptions.cluster:
		a.log.Warnf("nothing to delete: there is no minikube profile %s", o.profile)
	default:
		a.log.Warnf("nothing to delete: no desktop %s on minikube profile %s", o.name, o.profile)
	}
	for _, d := range deleted {
		fmt.Fprintln(a.out, d)
	}
	return nil
}
