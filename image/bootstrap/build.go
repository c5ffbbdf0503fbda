package bootstrap

import (
	"context"
	"fmt"
	"time"

	"github.com/mvm-dev/mvm/internal/log"
)

// Result describes the image [Build] made or found.
type Result struct {
	// ID is the image ID, "sha256:…".
	ID string
	// Tag is the name the image has.
	Tag string
	// Architecture is the Debian architecture, "amd64" or "arm64".
	Architecture string
	// Packages lists the installed packages as "name=version".
	Packages []string
	// Stamp identifies the content: the packages, their configuration,
	// the labels and the recipe. Equal stamps mean equal images up to file dates.
	Stamp string
	// Size is the total size of the files in the image, in bytes; it is
	// zero when the image was reused.
	Size int64
	// Reused reports that the engine already had an image with this stamp
	// under Tag, so nothing was built.
	Reused bool
}

// Build creates a minimal Debian image from a Debian mirror and tags it
// opts.Tag on engine, unless the engine already has that tag with the same
// content stamp. Intermediate images and containers are removed in every
// case, also when ctx is cancelled.
func Build(ctx context.Context, engine Engine, opts Options) (Result, error) {
	opts = opts.withDefaults()
	b := &builder{engine: engine, opts: opts, log: opts.Logger}
	defer b.cleanup(ctx)

	arch, err := engineArchitecture(ctx, engine)
	if err != nil {
		return Result{}, err
	}
	p, err := b.resolve(ctx, arch)
	if err != nil {
		return Result{}, err
	}
	files := imageFiles(p.Pockets)
	res := Result{Tag: opts.Tag, Architecture: arch, Packages: versions(p.all()), Stamp: p.stamp(files, opts.Labels)}

	old, err := b.existing(ctx, res.Stamp)
	if err != nil {
		return Result{}, err
	}
	if old.current {
		res.ID, res.Reused = old.id, true
		return res, nil
	}
	if res.ID, res.Size, err = b.build(ctx, p, files, res.Stamp); err != nil {
		return Result{}, err
	}
	b.removeSuperseded(ctx, old.id, res.ID)
	return res, nil
}

// build runs the two stages and the final import.
func (b *builder) build(ctx context.Context, p *plan, files []imageFile, stamp string) (string, int64, error) {
	debs, err := b.download(ctx, p)
	if err != nil {
		return "", 0, err
	}
	stage1, err := b.importStage1(ctx, p, files, debs)
	if err != nil {
		return "", 0, err
	}
	containerID, err := b.configure(ctx, stage1)
	if err != nil {
		return "", 0, err
	}
	return b.finish(ctx, p, containerID, stamp)
}

// builder carries one build's state: what it created, for cleanup.
type builder struct {
	engine Engine
	opts   Options
	log    *log.Logger

	images     []string
	containers []string
}

// step runs fn as one step shown to the user.
func (b *builder) step(title string, fn func(*log.Step) error) error {
	s := b.log.StartStep(title)
	err := fn(s)
	s.Done(err)
	return err
}

func versions(pkgs []*Package) []string {
	out := make([]string, len(pkgs))
	for i, p := range pkgs {
		out[i] = p.Name + "=" + p.Version
	}
	return out
}

// formatSize prints a byte count the way people read it.
func formatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// cleanupTimeout bounds the removal of intermediate objects.
const cleanupTimeout = 30 * time.Second
