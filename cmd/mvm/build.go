package main

import (
	"fmt"

	"github.com/docker/docker/client"
	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/engine"
)

func buildCommand(a *app) *cli.Command {
	o := &imageOptions{}
	return &cli.Command{
		Name:  "build",
		Usage: "build the desktop image (a no-op when nothing changed) and print its name",
		Description: "The image is built through the Docker Engine API from files inside mvm and an agent\n" +
			"compiled for the engine's platform. Without a registry, the Debian base is made from\n" +
			"Debian's mirror the first time (--bootstrap makes it again).",
		Flags:        o.flags(),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Errorf("build takes no arguments")}
			}
			e, res, err := imageOnEngine(c, a, o)
			if err != nil {
				return err
			}
			defer e.Close()
			fmt.Fprintln(a.out, res.Ref)
			return nil
		},
	}
}

// imageOnEngine connects to the Docker Engine and builds, or finds, the image
// that o describes. The caller closes the engine.
func imageOnEngine(c *cli.Context, a *app, o *imageOptions) (*client.Client, image.Result, error) {
	bo, err := o.build(a)
	if err != nil {
		return nil, image.Result{}, err
	}
	e, err := engine.Connect(c.Context)
	if err != nil {
		return nil, image.Result{}, err
	}
	img, err := ensureImage(c, a, e, bo)
	if err != nil {
		e.Close()
		return nil, image.Result{}, err
	}
	return e, img, nil
}

// ensureImage builds the image, showing a single line when it was already
// there.
func ensureImage(c *cli.Context, a *app, e image.Engine, bo image.BuildOptions) (image.Result, error) {
	res, err := image.Build(c.Context, e, bo)
	if err != nil {
		return res, err
	}
	if res.Cached {
		a.log.V(0).Info(fmt.Sprintf("✓ Image %s is up to date", res.Ref))
	} else {
		a.log.V(0).Info(fmt.Sprintf("✓ Built %s (%s)", res.Ref, sizeString(res.Size)))
	}
	return res, nil
}

func sizeString(n int64) string {
	return fmt.Sprintf("%.0f MB", float64(n)/1e6)
}
