package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/stats"
)

type statsOptions struct {
	targets  cli.StringSlice
	watch    bool
	interval time.Duration
	jsonOut  bool
}

func statsCommand(a *app) *cli.Command {
	o := &statsOptions{}
	return &cli.Command{
		Name:      "stats",
		Usage:     "show every desktop mvm runs, on every target: CPU, memory, traffic, clients, start times",
		ArgsUsage: "[NAME or PATTERN...]",
		Description: "Reads the desktops' cgroups (a Docker Engine on this host) or the engine's stats, " +
			"the Kubernetes metrics API (or the kubelets) and each " +
			"desktop's agent. A target that cannot be reached is one line of the output. The start-time " +
			"table gives p50 and p95 of the times to first frame that mvm recorded, per target.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "target", Aliases: []string{"t"}, Destination: &o.targets,
				Usage: "only these targets: docker, kind, minikube, gke (repeat or separate with commas)"},
			&cli.BoolFlag{Name: "watch", Aliases: []string{"w"}, Destination: &o.watch,
				Usage: "refresh until Ctrl-C: in place on a terminal, a table per refresh otherwise"},
			&cli.DurationFlag{Name: "interval", Value: 2 * time.Second, Destination: &o.interval,
				Usage: "time between refreshes with --watch"},
			&cli.BoolFlag{Name: "json", Destination: &o.jsonOut,
				Usage: "print JSON (with --watch, one snapshot per line)"},
		},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			return runStats(c.Context, a, o, c.Args().Slice())
		},
	}
}

func runStats(ctx context.Context, a *app, o *statsOptions, names []string) error {
	f := stats.Filter{Targets: o.targets.Value(), Names: names}
	if err := f.Check(); err != nil {
		return &usageError{err}
	}
	if o.interval < 100*time.Millisecond {
		return &usageError{fmt.Errorf("invalid --interval %s: give at least 100ms", o.interval)}
	}

	c := stats.NewCollector(stats.Options{
		Store:  a.store,
		Filter: f,
		Docker: func(ctx context.Context) (stats.DockerEngine, error) { return engine.Connect(ctx) },
		Kube:   stats.KubeconfigConnector(),
	})
	defer c.Close()

	if o.watch {
		return stats.Watch(ctx, c, a.out, stats.WatchOptions{
			Interval: o.interval, JSON: o.jsonOut, InPlace: isTerminal(a.out),
		})
	}
	s, err := c.Collect(ctx)
	if err != nil {
		return err
	}
	if o.jsonOut {
		return stats.WriteJSON(a.out, s)
	}
	return stats.WriteTable(a.out, s)
}

// isTerminal reports whether w is a terminal that understands cursor moves.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) && os.Getenv("TERM") != "dumb"
}
