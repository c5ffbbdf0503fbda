package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/exec"
	"github.com/mvm-dev/mvm/local/docker"
)

func openCommand(a *app) *cli.Command {
	var printOnly bool
	return &cli.Command{
		Name:      "open",
		Usage:     "open a desktop in the browser",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{&cli.BoolFlag{Name: "print", Destination: &printOnly,
			Usage: "print the URL with its token instead of opening it"}},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{errors.New("open needs exactly one desktop name")}
			}
			name := c.Args().First()
			if err := desktop.ValidateName(name); err != nil {
				return err
			}
			url, err := dockerURL(c, a, name)
			if err != nil {
				return err
			}
			if printOnly {
				fmt.Fprintln(a.out, url)
				return nil
			}
			return openBrowser(c.Context, a, url)
		},
	}
}

func dockerURL(c *cli.Context, a *app, name string) (string, error) {
	e, err := engine.Connect(c.Context)
	if err != nil {
		return "", err
	}
	defer e.Close()

	d, err := docker.Find(c.Context, e, name)
	if err != nil {
		return "", err
	}
	if d == nil {
		return "", fmt.Errorf("no desktop named %s on Docker: start it with `mvm dev --name %s`", name, name)
	}
	if !d.Running() {
		return "", fmt.Errorf("desktop %s is %s: start it with `mvm dev --name %s`", name, d.State, name)
	}
	rec, err := a.store.Desktop(docker.Target, name)
	if err != nil {
		return "", fmt.Errorf("the token of desktop %s is not recorded in %s: replace the desktop with "+
			"`mvm dev --name %s --recreate` to get a new one", name, a.store.Dir, name)
	}
	return desktop.URLWithToken(d.URL(), rec.Token), nil
}

// openBrowser opens url with the desktop's opener. Where there is none (a
// server, CI), it says so and the printed URL is the way in.
func openBrowser(ctx context.Context, a *app, url string) error {
	opener := "xdg-open"
	if runtime.GOOS == "darwin" {
		opener = "open"
	}
	if _, err := exec.LookPath(opener); err != nil {
		a.log.Warnf("cannot open a browser here (%s not found): open the URL yourself", opener)
		return nil
	}
	_, err := exec.Run(ctx, exec.Cmd{Args: []string{opener, url}})
	if err != nil {
		return fmt.Errorf("open the browser: %w", err)
	}
	return nil
}
