package bootstrap

import (
	"context"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
)

// cleanup removes the intermediate containers and images of the build. It
// runs on a context of its own, so that it also runs after a cancellation.
func (b *builder) cleanup(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()

	for _, id := range b.containers {
		b.log.V(1).Infof("engine: remove intermediate container %s", shortID(id))
		err := b.engine.ContainerRemove(ctx, id, container.RemoveOptions{Force: true, RemoveVolumes: true})
		if err != nil {
			b.log.Warnf("remove intermediate container %s: %s", shortID(id), err.Error())
		}
	}
	for _, id := range b.images {
		b.log.V(1).Infof("engine: remove intermediate image %s", shortID(id))
		_, err := b.engine.ImageRemove(ctx, id, image.RemoveOptions{Force: true, PruneChildren: true})
		if err != nil {
			b.log.Warnf("remove intermediate image %s: %s", shortID(id), err.Error())
		}
	}
}

// removeSuperseded removes the image that the tag named before this build,
// which an earlier build made: it is untagged now. An image still in use by
// a container stays.
func (b *builder) removeSuperseded(ctx context.Context, old, current string) {
	if old == "" || old == current {
		return
	}
	_, err := b.engine.ImageRemove(ctx, old, image.RemoveOptions{PruneChildren: true})
	if err != nil {
		b.log.V(1).Infof("keep superseded image %s: %s", shortID(old), err.Error())
	}
}

func shortID(id string) string {
	const n = len("sha256:") + 12
	if len(id) > n {
		return id[:n]
	}
	return id
}
