package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/local/docker"
)

func lsCommand(a *app) *cli.Command {
	var jsonOut bool
	return &cli.Command{
		Name:         "ls",
		Usage:        "list the desktops mvm runs on Docker",
		Flags:        []cli.Flag{&cli.BoolFlag{Name: "json", Destination: &jsonOut, Usage: "print JSON"}},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Errorf("ls takes no arguments")}
			}
			e, err := engine.Connect(c.Context)
			if err != nil {
				return err
			}
			defer e.Close()

			ds, err := docker.List(c.Context, e)
			if err != nil {
				return err
			}
			if jsonOut {
				return printJSON(a, lsEntries(ds))
			}
			return printDesktops(a, ds)
		},
	}
}

// lsEntry is one desktop in `mvm ls --json`. The URL carries no token:
// listings end up in terminals and logs; `mvm open` prints the secret one.
type lsEntry struct {
	docker.Desktop
	Target string `json:"target"`
	URL    string `json:"url,omitempty"`
}

func lsEntries(ds []docker.Desktop) []lsEntry {
	out := make([]lsEntry, 0, len(ds))
	for _, d := range ds {
		out = append(out, lsEntry{Desktop: d, Target: docker.Target, URL: d.URL()})
	}
	return out
}

func printDesktops(a *app, ds []docker.Desktop) error {
	tw := tabwriter.NewWriter(a.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tTARGET\tSTATE\tURL\tFLAVOR\tHOME\tCREATED")
	for _, d := range ds {
		home := "container"
		if d.Persist {
			home = "volume " + docker.HomeVolume(d.Name)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, docker.Target, d.State, orDash(d.URL()),
			orDash(d.Flavor), home, ago(d.Created))
	}
	return tw.Flush()
}

func printJSON(a *app, v any) error {
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago renders a past time as "3m ago", "2h ago", "5d ago".
func ago(t time.Time) string {
	d := time.Since(t)
	switch {
	case t.IsZero():
		return "-"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	default:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
}
