package main

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/local/docker"
)

func rmCommand(a *app) *cli.Command {
	var home bool
	return &cli.Command{
		Name:      "rm",
		Usage:     "remove desktops from Docker",
		ArgsUsage: "NAME...",
		Description: "Removes the desktop containers. A persistent home volume is kept for the next\n" +
			"`mvm dev --persist --name NAME` unless --home is given, which deletes its files.",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "home", Destination: &home,
			Usage: "also delete the persistent home volume and its files"}},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return &usageError{errors.New("rm needs the names of the desktops to remove")}
			}
			for _, n := range c.Args().Slice() {
				if err := desktop.ValidateName(n); err != nil {
					return err
				}
			}
			e, err := engine.Connect(c.Context)
			if err != nil {
				return err
			}
			defer e.Close()

			for _, n := range c.Args().Slice() {
				if err := removeDesktop(c, a, e, n, home); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

func removeDesktop(c *cli.Context, a *app, e docker.Engine, name string, home bool) error {
	d, err := docker.Find(c.Context, e, name)
	if err != nil {
		return err
	}
	if d == nil && !home {
		a.log.Warnf("no desktop named %s on Docker; nothing to remove", name)
		return a.store.DeleteDesktop(docker.Target, name)
	}

	step := a.log.StartStep("Removing desktop " + name)
	err = docker.Remove(c.Context, e, name, docker.RemoveOptions{Home: home})
	if err == nil {
		err = a.store.DeleteDesktop(docker.Target, name)
	}
	step.Done(err)
	if err != nil {
		return err
	}
	if d != nil && d.Persist && !home {
		a.log.V(0).Info(fmt.Sprintf("  its home stays in volume %s (mvm rm --home %s deletes it)",
			docker.HomeVolume(name), name))
	}
	fmt.Fprintln(a.out, name)
	return nil
}
