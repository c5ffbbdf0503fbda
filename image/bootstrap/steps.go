package bootstrap

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/mvm-dev/mvm/internal/log"
)

// cacheMaxAge is how long a cached package no build used is kept.
const cacheMaxAge = 30 * 24 * time.Hour

// existingImage is what the engine has under the tag already.
type existingImage struct {
	id      string
	current bool // it carries the stamp of the image about to be built
}

// existing looks up the tag. Only an image an earlier build made counts, so
// that an unrelated image under the tag is never removed.
func (b *builder) existing(ctx context.Context, stamp string) (existingImage, error) {
	img, err := b.engine.ImageInspect(ctx, b.opts.Tag)
	if cerrdefs.IsNotFound(err) {
		return existingImage{}, nil
	}
	if err != nil {
		return existingImage{}, fmt.Errorf("inspect image %s: %w", b.opts.Tag, err)
	}
	if img.Config == nil || img.Config.Labels[LabelStamp] == "" {
		return existingImage{}, nil
	}

	current := img.Config.Labels[LabelStamp] == stamp && !b.opts.Rebuild
	if current {
		b.log.V(0).Infof("✓ %s is up to date (%s)", b.opts.Tag, b.opts.Suite)
	}
	return existingImage{id: img.ID, current: current}, nil
}

// download fetches every package of the plan into the cache.
func (b *builder) download(ctx context.Context, p *plan) (map[string]string, error) {
	if err := os.MkdirAll(b.opts.CacheDir, 0o755); err != nil {
		return nil, fmt.Errorf("create package cache: %w", err)
	}
	pruneCache(b.opts.CacheDir, cacheMaxAge, time.Now())

	d := &downloader{f: &fetcher{client: b.opts.HTTPClient}, dir: b.opts.CacheDir, workers: b.opts.Downloads}
	total := p.downloadSize()
	title := fmt.Sprintf("Downloading %d packages (%s)", len(p.all()), formatSize(total))

	var debs map[string]string
	err := b.step(title, func(s *log.Step) error {
		stop := progress(s, &d.done, total)
		defer stop()

		var err error
		debs, err = d.fetchAll(ctx, p.all())
		return err
	})
	return debs, err
}

// importStage1 streams the first-stage root filesystem into the engine.
func (b *builder) importStage1(
	ctx context.Context,
	p *plan,
	files []imageFile,
	debs map[string]string,
) (string, error) {
	var id string
	err := b.step(fmt.Sprintf("Importing first stage (%d packages)", len(p.Required)), func(*log.Step) error {
		b.log.V(1).Info("engine: import the first-stage root filesystem")
		var err error
		changes := labelChanges(b.labels(LabelStage, "1"))
		id, err = importStream(ctx, b.engine, "", changes, func(w io.Writer) error {
			return writeStage1(ctx, w, p, files, debs)
		})
		// TODO: an import cancelled after the engine stored the image but
		// before it sent the ID leaves that image behind; it carries
		// LabelStage, so it can be found, but sweeping by label here would
		// also hit a concurrent build's images.
		if id != "" {
			b.images = append(b.images, id)
		}
		return err
	})
	return id, err
}

// configure runs the second stage and returns the finished container.
func (b *builder) configure(ctx context.Context, stage1 string) (string, error) {
	var id string
	err := b.step("Configuring base system in a container", func(*log.Step) error {
		name := "mvm-bootstrap-" + randomSuffix()
		b.log.V(1).Infof("engine: run the second stage in container %s from %s", name, shortID(stage1))
		var err error
		id, err = runStage2(ctx, b.engine, stage1, name, b.labels(LabelStage, "2"), b.log.Writer(2))
		if id != "" {
			b.containers = append(b.containers, id)
		}
		return err
	})
	return id, err
}

// finish exports the finished container, filters it and imports the result
// as the final image.
func (b *builder) finish(ctx context.Context, p *plan, containerID, stamp string) (string, int64, error) {
	var (
		id   string
		size int64
	)
	err := b.step("Importing "+b.opts.Tag, func(*log.Step) error {
		b.log.V(1).Infof("engine: export container %s and import it as %s", shortID(containerID), b.opts.Tag)
		rc, err := b.engine.ContainerExport(ctx, containerID)
		if err != nil {
			return fmt.Errorf("export container %s: %w", containerID, err)
		}
		defer rc.Close()

		id, err = importStream(ctx, b.engine, b.opts.Tag, b.changes(p, stamp), func(w io.Writer) error {
			var err error
			size, err = filterTar(rc, w, keepInImage)
			return err
		})
		return err
	})
	return id, size, err
}

// changes returns the image configuration of the final image.
func (b *builder) changes(p *plan, stamp string) []string {
	labels := b.labels(
		LabelSuite, b.opts.Suite,
		LabelMirror, b.opts.Mirror,
		LabelDate, p.Date.Format(time.RFC3339),
		LabelStamp, stamp,
	)
	return append([]string{
		`CMD ["bash"]`,
		"ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	}, labelChanges(labels)...)
}

// labels returns the caller's labels plus the given key-value pairs.
func (b *builder) labels(kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range b.opts.Labels {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// labelChanges writes labels as LABEL instructions for an image import, in
// a stable order.
func labelChanges(labels map[string]string) []string {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = fmt.Sprintf("LABEL %q=%q", k, labels[k])
	}
	return out
}

func randomSuffix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
