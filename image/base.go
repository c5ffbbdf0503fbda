package image

import (
	"context"
	"fmt"
	"io"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"github.com/docker/docker/errdefs"

	"github.com/mvm-dev/mvm/image/bootstrap"
	"github.com/mvm-dev/mvm/internal/log"
)

// DefaultBase is the base the Dockerfile is written for.
const DefaultBase = "debian:bookworm-slim"

// base is the image the desktop is built on.
type base struct {
	ref string
	id  string
}

// resolveBase finds the base image: the one asked for, else Debian's
// bookworm-slim, else the one a previous bootstrap made. Only the default may
// be bootstrapped from Debian's mirror; a missing base the user named is an
// error that says what to do.
func resolveBase(ctx context.Context, e Engine, o BuildOptions) (base, error) {
	if o.Base != "" {
		return ensureNamedBase(ctx, e, o.Base, o.Logger)
	}
	if o.Bootstrap {
		return bootstrapBase(ctx, e, o)
	}
	for _, ref := range []string{DefaultBase, bootstrap.DefaultTag} {
		if id, ok, err := imageID(ctx, e, ref); err != nil || ok {
			return base{ref: ref, id: id}, err
		}
	}
	// The pull is tried without a step line: on the machines mvm is made for
	// it fails at once, and a ✗ before a build that then succeeds misleads.
	o.Logger.V(1).Info("• Pulling " + DefaultBase)
	b, err := pullBase(ctx, e, DefaultBase, log.Discard())
	if err == nil {
		return b, nil
	}
	o.Logger.V(1).Info("  " + err.Error())
	o.Logger.V(0).Info("• " + DefaultBase + " cannot be pulled here: making it from Debian's mirror (once)")
	return bootstrapBase(ctx, e, o)
}

func ensureNamedBase(ctx context.Context, e Engine, ref string, l *log.Logger) (base, error) {
	if id, ok, err := imageID(ctx, e, ref); err != nil || ok {
		return base{ref: ref, id: id}, err
	}
	b, err := pullBase(ctx, e, ref, l)
	if err != nil {
		return base{}, fmt.Errorf("base image %s is not on this engine and cannot be pulled (%w): "+
			"load it with `docker load`, or leave out --base and mvm makes a Debian base from "+
			"deb.debian.org (mvm build --bootstrap)", ref, err)
	}
	return b, nil
}

func bootstrapBase(ctx context.Context, e Engine, o BuildOptions) (base, error) {
	res, err := bootstrap.Build(ctx, e, bootstrap.Options{
		Mirror:  o.Mirror,
		Rebuild: o.Bootstrap,
		Logger:  o.Logger,
	})
	if err != nil {
		return base{}, fmt.Errorf("make the base image from Debian's mirror: %w", err)
	}
	return base{ref: res.Tag, id: res.ID}, nil
}

func pullBase(ctx context.Context, e Engine, ref string, l *log.Logger) (base, error) {
	step := l.StartStep("Pulling " + ref)
	rc, err := e.ImagePull(ctx, ref, image.PullOptions{})
	if err == nil {
		err = readMessages(rc, nil, l.Writer(2))
		rc.Close()
	}
	if err != nil {
		step.Done(err)
		return base{}, err
	}
	id, _, err := imageID(ctx, e, ref)
	step.Done(err)
	return base{ref: ref, id: id}, err
}

// imageID returns the ID of ref and whether the engine has it.
func imageID(ctx context.Context, e Engine, ref string) (string, bool, error) {
	img, err := e.ImageInspect(ctx, ref)
	if errdefs.IsNotFound(err) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("inspect image %s: %w", ref, err)
	}
	return img.ID, true, nil
}

// Engine is the part of the Docker Engine API that building images uses;
// *client.Client satisfies it.
type Engine interface {
	bootstrap.Engine
	ImageBuild(ctx context.Context, context io.Reader, options buildOptions) (buildResponse, error)
	ImagePull(ctx context.Context, ref string, options image.PullOptions) (io.ReadCloser, error)
	ImageTag(ctx context.Context, source, target string) error
}

var _ Engine = (*client.Client)(nil)
