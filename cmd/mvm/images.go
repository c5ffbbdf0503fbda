package main

import (
	"github.com/urfave/cli/v2"

	"github.com/mvm-dev/mvm/image"
)

// imageOptions are the flags of every command that builds the image.
type imageOptions struct {
	flavor      string
	base        string
	bootstrap   bool
	mirror      string
	hostNetwork bool
	noCache     bool
	agent       string
}

func (o *imageOptions) flags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "flavor", Value: string(image.Full), Destination: &o.flavor,
			Usage: "image flavor: full (with Firefox) or slim", EnvVars: []string{"MVM_FLAVOR"}},
		&cli.StringFlag{Name: "base", Destination: &o.base, EnvVars: []string{"MVM_BASE"},
			Usage: "base image (default debian:bookworm-slim, made from Debian's mirror if it cannot be pulled)"},
		&cli.BoolFlag{Name: "bootstrap", Destination: &o.bootstrap,
			Usage: "make the Debian base image from Debian's mirror even if one exists"},
		&cli.StringFlag{Name: "mirror", Destination: &o.mirror, EnvVars: []string{"MVM_DEBIAN_MIRROR"},
			Usage: "Debian mirror for --bootstrap (default http://deb.debian.org/debian)"},
		&cli.BoolFlag{Name: "host-network", Destination: &o.hostNetwork, EnvVars: []string{"MVM_BUILD_HOST_NETWORK"},
			Usage: "run the build's RUN steps on the host network, where the bridge cannot reach a mirror"},
		&cli.BoolFlag{Name: "no-cache", Destination: &o.noCache, Usage: "build every step again"},
		&cli.StringFlag{Name: "agent", Destination: &o.agent, EnvVars: []string{"MVM_AGENT_BINARY"},
			Usage: "prebuilt agent binary (linux, the engine's architecture) instead of compiling it"},
	}
}

func (o *imageOptions) build(a *app) (image.BuildOptions, error) {
	f, err := image.ParseFlavor(o.flavor)
	if err != nil {
		return image.BuildOptions{}, err
	}
	return image.BuildOptions{
		Flavor:      f,
		Base:        o.base,
		Bootstrap:   o.bootstrap,
		Mirror:      o.mirror,
		HostNetwork: o.hostNetwork,
		NoCache:     o.noCache,
		Agent:       image.AgentOptions{Binary: o.agent},
		Version:     buildVersion(),
		Logger:      a.log,
	}, nil
}
