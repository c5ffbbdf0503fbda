package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/dirs"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
)

// version is set with -ldflags "-X main.version=…" by release builds; other
// builds take it from the Go build information.
var version = ""

// app is what every command gets: the output streams, the logger built from
// the global flags, and the state store.
type app struct {
	out    io.Writer
	errOut io.Writer
	log    *log.Logger
	store  state.Store

	verbosity int
	quiet     bool
	noColor   bool
}

func newApp(out, errOut io.Writer) *cli.App {
	a := &app{out: out, errOut: errOut, log: log.Discard()}
	return &cli.App{
		Name:    "mvm",
		Usage:   "a Linux desktop in your browser, from a laptop to the cloud",
		Version: buildVersion(),
		// urfave's own version flag claims -v, which is verbosity here;
		// `mvm version` prints the version instead.
		HideVersion:            true,
		Writer:                 out,
		ErrWriter:              errOut,
		UseShortOptionHandling: true,
		EnableBashCompletion:   true,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Count: &a.verbosity,
				Usage: "show more: -v each command and API call, -vv subprocess and build output"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Destination: &a.quiet,
				Usage: "print only data and errors", EnvVars: []string{"MVM_QUIET"}},
			&cli.BoolFlag{Name: "no-color", Destination: &a.noColor, Usage: "no colour", EnvVars: []string{"NO_COLOR"}},
		},
		Before: func(*cli.Context) error {
			// urfave leaves a counted flag that was never given at -1.
			verbosity := max(a.verbosity, 0)
			a.log = log.New(errOut, log.Options{Verbosity: verbosity, Quiet: a.quiet, NoColor: a.noColor})
			a.store = state.Store{Dir: dirs.State()}
			return nil
		},
		Commands: []*cli.Command{
			devCommand(a),
			buildCommand(a),
			lsCommand(a),
			rmCommand(a),
			logsCommand(a),
			openCommand(a),
			promoteCommand(a),
			kindCommand(a),
			minikubeCommand(a),
			statsCommand(a),
			versionCommand(a),
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Errorf("unknown command %q", c.Args().First())}
			}
			return cli.ShowAppHelp(c)
		},
		OnUsageError:   onUsageError,
		ExitErrHandler: func(*cli.Context, error) {},
	}
}

// onUsageError turns urfave's usage complaints into errors that main maps to
// exit code 2, instead of letting the library exit.
func onUsageError(_ *cli.Context, err error, _ bool) error {
	return &usageError{err: err}
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

func versionCommand(a *app) *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print mvm's version",
		Action: func(*cli.Context) error {
			_, err := io.WriteString(a.out, "mvm "+buildVersion()+"\n")
			return err
		},
	}
}
