package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/docker/go-units"
	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/local/docker"
)

// desktopOptions are the flags that describe a desktop on any target.
type desktopOptions struct {
	name       string
	resolution string
	persist    bool
	memory     string
	cpus       float64
	open       bool
	timeout    time.Duration
	jsonOut    bool
}

func (o *desktopOptions) flags(defaultName string) []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "name", Value: defaultName, Destination: &o.name, EnvVars: []string{"MVM_NAME"},
			Usage: "desktop name (lowercase letters, digits, dashes)"},
		&cli.StringFlag{Name: "resolution", Value: agent.DefaultResolution, Destination: &o.resolution,
			Usage: "initial screen size WxH; the browser window resizes it"},
		&cli.BoolFlag{Name: "persist", Destination: &o.persist,
			Usage: "keep the home directory in a volume that survives mvm rm and is reattached"},
		&cli.StringFlag{Name: "memory", Value: "1GiB", Destination: &o.memory, Usage: "memory limit"},
		&cli.Float64Flag{Name: "cpus", Value: desktop.DefaultCPUs, Destination: &o.cpus, Usage: "CPU limit"},
		&cli.BoolFlag{Name: "open", Destination: &o.open, Usage: "open the desktop in the browser"},
		&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Destination: &o.timeout,
			Usage: "how long to wait for the first frame"},
		&cli.BoolFlag{Name: "json", Destination: &o.jsonOut, Usage: "print the result as JSON"},
	}
}

// check validates the options before anything is created.
func (o *desktopOptions) check() (memory int64, err error) {
	if err := desktop.ValidateName(o.name); err != nil {
		return 0, err
	}
	if _, _, err := agent.ParseResolution(o.resolution); err != nil {
		return 0, err
	}
	memory, err = units.RAMInBytes(o.memory)
	if err != nil || memory < 256<<20 {
		return 0, fmt.Errorf("invalid --memory %q: give at least 256MiB, for example 2GiB", o.memory)
	}
	if o.cpus <= 0 || o.cpus > 64 {
		return 0, fmt.Errorf("invalid --cpus %g: give a number of CPUs such as 0.5 or 2", o.cpus)
	}
	return memory, nil
}

type devOptions struct {
	desktopOptions
	image    imageOptions
	port     int
	recreate bool
	vnc      bool
}

func devCommand(a *app) *cli.Command {
	o := &devOptions{}
	flags := append(o.desktopOptions.flags("dev"),
		&cli.IntFlag{Name: "port", Destination: &o.port, EnvVars: []string{"MVM_PORT"},
			Usage: "port on 127.0.0.1 (default: a free one)"},
		&cli.BoolFlag{Name: "recreate", Destination: &o.recreate,
			Usage: "replace an existing desktop that differs, even if its home is not persistent"},
		&cli.BoolFlag{Name: "vnc", Destination: &o.vnc,
			Usage: "also open a password-protected VNC port on 127.0.0.1 for native viewers"},
	)
	return &cli.Command{
		Name:  "dev",
		Usage: "run a desktop on Docker and print its URL",
		Description: "Builds the image if needed, starts the desktop on 127.0.0.1 with a fresh secret token,\n" +
			"waits until it serves its first frame, and prints the URL to open.",
		Flags:        append(flags, o.image.flags()...),
		OnUsageError: onUsageError,
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{fmt.Errorf("dev takes no arguments; name the desktop with --name")}
			}
			return runDev(c, a, o)
		},
	}
}

func runDev(c *cli.Context, a *app, o *devOptions) error {
	memory, err := o.check()
	if err != nil {
		return err
	}
	if o.port < 0 || o.port > 65535 {
		return fmt.Errorf("invalid --port %d: give a port from 1 to 65535, or leave it out for a free one", o.port)
	}
	if err := docker.CheckPort(o.port); err != nil {
		return err
	}
	e, img, err := imageOnEngine(c, a, &o.image)
	if err != nil {
		return err
	}
	defer e.Close()

	step := a.log.StartStep("Starting desktop " + o.name)
	res, err := docker.Up(c.Context, e, docker.UpOptions{
		Spec: docker.Spec{
			Name: o.name, Image: img.Ref, Flavor: string(img.Flavor), Port: o.port,
			Resolution: o.resolution, Persist: o.persist,
			Memory: memory, CPUs: o.cpus, Pids: desktop.DefaultPids, ShmSize: desktop.DefaultShm,
		},
		ImageID:  img.ID,
		Recreate: o.recreate,
		VNC:      o.vnc,
		Timeout:  o.timeout,
		Store:    a.store,
		Logger:   a.log,
	})
	step.Done(err)
	if err != nil {
		return err
	}
	r := ready{target: docker.Target, action: string(res.Action), name: res.Desktop.Name, url: res.URL(), timer: res.Timer}
	if res.VNCPassword != "" {
		r.vnc = &vncOutput{Address: res.Desktop.VNCAddress(), Password: res.VNCPassword}
	}
	return reportReady(c, a, &o.desktopOptions, r)
}

// ready is a desktop that served its first frame.
type ready struct {
	target, action, name, url string
	timer                     *desktop.Timer
	vnc                       *vncOutput
}

// vncOutput is where a native VNC viewer connects.
type vncOutput struct {
	Address  string `json:"address"`
	Password string `json:"password"`
}

// readyOutput is the JSON form of a ready desktop.
type readyOutput struct {
	Name    string             `json:"name"`
	Target  string             `json:"target"`
	URL     string             `json:"url"`
	Action  string             `json:"action"`
	Phases  map[string]float64 `json:"phases_s"`
	TotalS  float64            `json:"total_s"`
	Started time.Time          `json:"started"`
	VNC     *vncOutput         `json:"vnc,omitempty"`
}

// reportReady prints the phase timings on stderr and the URL on stdout, and
// opens the browser when asked.
func reportReady(c *cli.Context, a *app, o *desktopOptions, r ready) error {
	t := r.timer
	a.log.V(0).Info(fmt.Sprintf("✓ Desktop %s %s, first frame after %s", r.name, r.action, t.Summary()))

	if o.jsonOut {
		out := readyOutput{Name: r.name, Target: r.target, URL: r.url, Action: r.action, Phases: map[string]float64{},
			TotalS: t.Total().Seconds(), Started: time.Now().UTC(), VNC: r.vnc}
		for _, p := range t.Phases() {
			out.Phases[p.Name] = float64(p.Duration)
		}
		enc := json.NewEncoder(a.out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(a.out, r.url)
		if r.vnc != nil {
			fmt.Fprintf(a.out, "vnc %s password %s\n", r.vnc.Address, r.vnc.Password)
		}
	}

	if o.open {
		return openBrowser(c.Context, a, r.url)
	}
	return nil
}
