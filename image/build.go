package image

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/docker/docker/api/types/build"

	"github.com/mvm-dev/mvm/internal/dirs"
	"github.com/mvm-dev/mvm/internal/log"
)

type (
	buildOptions  = build.ImageBuildOptions
	buildResponse = build.ImageBuildResponse
)

// BuildOptions configure [Build].
type BuildOptions struct {
	// Flavor is the image to build; empty means [Full].
	Flavor Flavor
	// Base overrides the base image. Empty means debian:bookworm-slim,
	// made from Debian's mirror when the engine has none and cannot pull it.
	Base string
	// Bootstrap makes the base from Debian's mirror even if one exists.
	Bootstrap bool
	// Mirror is the Debian mirror for bootstrapping; empty means
	// deb.debian.org.
	Mirror string
	// HostNetwork runs the RUN steps on the host's network, for hosts whose
	// bridge network cannot reach a package mirror.
	HostNetwork bool
	// NoCache builds every step again.
	NoCache bool
	// Agent says where the agent binary comes from.
	Agent AgentOptions
	// Version is the mvm version recorded on the image.
	Version string
	// Logger shows progress.
	Logger *log.Logger
}

// Result describes a built or reused image.
type Result struct {
	// Flavor is the flavor built.
	Flavor Flavor
	// Ref names the image by flavor and content hash.
	Ref string
	// ID is the engine's image ID.
	ID string
	// Hash is the content hash of the build's inputs.
	Hash string
	// Cached reports that an image with this hash existed, so nothing ran.
	Cached bool
	// Size is the image's size in bytes.
	Size int64
}

// Build makes the desktop image of o.Flavor, or reuses it when the engine
// already has an image built from the same inputs.
func Build(ctx context.Context, e Engine, o BuildOptions) (Result, error) {
	if o.Flavor == "" {
		o.Flavor = Full
	}
	info, err := e.Info(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("ask the engine for its platform: %w", err)
	}
	goarch, err := goArch(info.Architecture)
	if err != nil {
		return Result{}, err
	}

	b, err := resolveBase(ctx, e, o)
	if err != nil {
		return Result{}, err
	}
	bc, err := contextFor(ctx, goarch, b, o)
	if err != nil {
		return Result{}, err
	}

	res := Result{Flavor: o.Flavor, Ref: Ref(o.Flavor, bc.hash), Hash: bc.hash}
	if img, err := e.ImageInspect(ctx, res.Ref); err == nil && img.Config.Labels[LabelContent] == bc.hash && !o.NoCache {
		res.ID, res.Size, res.Cached = img.ID, img.Size, true
		return res, e.ImageTag(ctx, res.Ref, LatestRef(o.Flavor))
	}

	if err := runBuild(ctx, e, bc, b, o, res.Ref); err != nil {
		return Result{}, err
	}
	img, err := e.ImageInspect(ctx, res.Ref)
	if err != nil {
		return Result{}, fmt.Errorf("inspect the new image %s: %w", res.Ref, err)
	}
	res.ID, res.Size = img.ID, img.Size
	return res, nil
}

func contextFor(ctx context.Context, goarch string, b base, o BuildOptions) (*buildContext, error) {
	if o.Agent.CacheDir == "" {
		o.Agent.CacheDir = filepath.Join(dirs.Cache(), "agent")
	}
	o.Agent.Stream = o.Logger.Writer(2)

	step := o.Logger.StartStep("Compiling the agent for linux/" + goarch)
	agent, err := Agent(ctx, goarch, o.Agent)
	step.Done(err)
	if err != nil {
		return nil, err
	}
	return newBuildContext(agent, string(o.Flavor), b.id)
}

func runBuild(ctx context.Context, e Engine, bc *buildContext, b base, o BuildOptions, ref string) error {
	step := o.Logger.StartStep(fmt.Sprintf("Building the %s image on %s", o.Flavor, b.ref))

	opts := buildOptions{
		Tags:        []string{ref, LatestRef(o.Flavor)},
		Target:      string(o.Flavor),
		BuildArgs:   map[string]*string{"BASE": &b.ref},
		Labels:      labels(o.Flavor, bc.hash, o.Version, b.ref),
		Remove:      true,
		ForceRemove: true,
		NoCache:     o.NoCache,
		Version:     build.BuilderV1,
	}
	if o.HostNetwork {
		opts.NetworkMode = "host"
	}

	resp, err := e.ImageBuild(ctx, strings.NewReader(string(bc.tar)), opts)
	if err == nil {
		p := &buildProgress{step: step, full: o.Logger.Writer(1)}
		err = readMessages(resp.Body, p.line, o.Logger.Writer(1))
		resp.Body.Close()
		if err != nil {
			err = fmt.Errorf("build the %s image: %w%s", o.Flavor, err, p.tail())
		}
	}
	step.Done(err)
	return err
}

func labels(f Flavor, hash, version, base string) map[string]string {
	return map[string]string{
		LabelManaged:                       "mvm",
		LabelContent:                       hash,
		LabelFlavor:                        string(f),
		LabelVersion:                       version,
		LabelBase:                          base,
		"org.opencontainers.image.title":   "mvm desktop (" + string(f) + ")",
		"org.opencontainers.image.source":  "https://" + Module,
		"org.opencontainers.image.created": time.Now().UTC().Format(time.RFC3339),
	}
}

func goArch(engineArch string) (string, error) {
	switch engineArch {
	case "x86_64", "amd64":
		return "amd64", nil
	case "aarch64", "arm64":
		return "arm64", nil
	}
	return "", fmt.Errorf("the Docker Engine runs on %s; mvm's desktop image supports amd64 and arm64", engineArch)
}
