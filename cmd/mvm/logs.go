package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/local/docker"
)

func logsCommand(a *app) *cli.Command {
	var (
		o   docker.LogsOptions
		raw bool
	)
	return &cli.Command{
		Name:      "logs",
		Usage:     "show a desktop's log",
		ArgsUsage: "NAME",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "follow", Aliases: []string{"f"}, Destination: &o.Follow, Usage: "keep printing new lines"},
			&cli.StringFlag{Name: "tail", Value: "all", Destination: &o.Tail, Usage: "number of lines from the end"},
			&cli.StringFlag{Name: "since", Destination: &o.Since, Usage: "only lines since a time or duration (10m)"},
			&cli.BoolFlag{Name: "raw", Destination: &raw, Usage: "print the agent's JSON lines as they are"},
		},
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{errors.New("logs needs exactly one desktop name")}
			}
			name := c.Args().First()
			if err := desktop.ValidateName(name); err != nil {
				return err
			}
			e, err := engine.Connect(c.Context)
			if err != nil {
				return err
			}
			defer e.Close()

			if raw {
				return docker.Logs(c.Context, e, name, a.out, o)
			}
			pr, pw := io.Pipe()
			go func() { pw.CloseWithError(docker.Logs(c.Context, e, name, pw, o)) }()
			return prettyLogs(a.out, pr)
		},
	}
}

// prettyLogs renders the agent's JSON log lines as "time level message
// key=value"; other lines pass through unchanged.
func prettyLogs(w io.Writer, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		fmt.Fprintln(w, prettyLine(sc.Text()))
	}
	return sc.Err()
}

func prettyLine(line string) string {
	var m map[string]any
	if json.Unmarshal([]byte(line), &m) != nil {
		return line
	}
	ts, _ := m["time"].(string)
	level, _ := m["level"].(string)
	msg, _ := m["msg"].(string)
	if t, err := time.Parse(time.RFC3339Nano, ts); err == nil {
		ts = t.Local().Format("15:04:05.000")
	}
	delete(m, "time")
	delete(m, "level")
	delete(m, "msg")

	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := []string{ts, fmt.Sprintf("%-5s", level)}
	if c, ok := m["child"].(string); ok {
		parts = append(parts, "["+c+"]")
		keys = remove(keys, "child")
	}
	parts = append(parts, msg)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func remove(s []string, v string) []string {
	out := s[:0]
	for _, x := range s {
		if x != v {
			out = append(out, x)
		}
	}
	return out
}
