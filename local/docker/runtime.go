package docker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/errdefs"
)

// A desktop's programs and libraries are read from a volume that holds the
// image's /usr, mounted read-only and shared by every desktop of that image.
//
// Why: a container's root filesystem is a fresh overlay mount, so every
// desktop start reads Xvnc, the agent and some forty shared libraries through
// a cold cache; on engines whose storage driver is fuse-overlayfs each of
// those reads is a round trip to a FUSE daemon. A volume is a plain directory
// of the host: after the first desktop, its files come from the page cache.
// On such an engine the time from the agent answering to Xvnc serving its
// first client fell from 100–220 ms to 40–55 ms. The price is disk: the
// image's /usr once more per image (257 MB slim, 557 MB full); the
// volumes of older images of the same flavor are removed when a newer one is
// made, unless a desktop still uses them.

// Labels of a runtime volume: the ID of the image it was filled from, and
// that image's flavor.
const (
	LabelRuntime       = "mvm.dev/runtime-of"
	labelRuntimeFlavor = "mvm.dev/runtime-flavor"
)

// runtimeTarget is the directory the volume replaces.
const runtimeTarget = "/usr"

// RuntimeVolume names the /usr volume of an image.
func RuntimeVolume(imageID string) string {
	return "mvm-usr-" + shortID(imageID)
}

// runtimeMount mounts an image's runtime volume read-only over /usr.
func runtimeMount(imageID string) mount.Mount {
	return mount.Mount{Type: mount.TypeVolume, Source: RuntimeVolume(imageID), Target: runtimeTarget, ReadOnly: true}
}

// PrepareRuntime makes sure the runtime volume of the image exists, filling
// it from the image the first time (seconds: the image's /usr is copied), and
// reports whether it made it. A fill that fails or is interrupted removes the
// volume again, so a later call starts over.
//
// TODO: a fill whose process is killed outright leaves a half-filled volume
// that later starts trust; a marker written after the copy would tell.
func PrepareRuntime(ctx context.Context, e Engine, imageID, flavor string) (bool, error) {
	name := RuntimeVolume(imageID)
	if _, err := e.VolumeInspect(ctx, name); err == nil {
		return false, nil
	} else if !errdefs.IsNotFound(err) {
		return false, fmt.Errorf("inspect runtime volume %s: %w", name, err)
	}

	if err := fillRuntime(ctx, e, imageID, flavor, name); err != nil {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if rerr := e.VolumeRemove(rctx, name, true); rerr != nil && !errdefs.IsNotFound(rerr) {
			err = errors.Join(err, fmt.Errorf("remove the half-filled volume %s: %w", name, rerr))
		}
		return false, fmt.Errorf("fill runtime volume %s from image %s: %w", name, shortID(imageID), err)
	}
	pruneRuntimes(ctx, e, imageID, flavor)
	return true, nil
}

// fillRuntime creates the volume and lets the engine copy the image's /usr
// into it, as it does for any empty volume a container mounts, by running a
// container that does nothing else.
func fillRuntime(ctx context.Context, e Engine, imageID, flavor, name string) error {
	_, err := e.VolumeCreate(ctx, volume.CreateOptions{
		Name:   name,
		Labels: map[string]string{LabelManaged: managedBy, LabelRuntime: imageID, labelRuntimeFlavor: flavor},
	})
	if err != nil {
		return err
	}

	cfg := &container.Config{
		Image:      imageID,
		Entrypoint: []string{runtimeTarget + "/bin/true"},
		Labels:     map[string]string{LabelManaged: managedBy, LabelRuntime: imageID},
	}
	host := &container.HostConfig{
		NetworkMode: "none",
		CapDrop:     []string{"ALL"},
		Mounts:      []mount.Mount{{Type: mount.TypeVolume, Source: name, Target: runtimeTarget}},
	}
	resp, err := e.ContainerCreate(ctx, cfg, host, nil, nil, "")
	if err != nil {
		return err
	}
	defer func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		_ = e.ContainerRemove(rctx, resp.ID, container.RemoveOptions{Force: true})
	}()

	waitC, errC := e.ContainerWait(ctx, resp.ID, container.WaitConditionNextExit)
	if err := e.ContainerStart(ctx, resp.ID, container.StartOptions{}); err != nil {
		return err
	}
	select {
	case w := <-waitC:
		if w.StatusCode != 0 {
			return fmt.Errorf("the filling container exited with %d", w.StatusCode)
		}
		return nil
	case err := <-errC:
		return err
	}
}

// pruneRuntimes removes the runtime volumes of older images of the flavor
// that no desktop uses. A volume in use cannot be removed, and the engine
// says so; those stay until their desktops are gone and another image is
// prepared.
func pruneRuntimes(ctx context.Context, e Engine, keep, flavor string) {
	list, err := e.VolumeList(ctx, volume.ListOptions{Filters: filters.NewArgs(filters.Arg("label", LabelRuntime))})
	if err != nil {
		return
	}
	for _, v := range list.Volumes {
		if v.Labels[LabelRuntime] != keep && v.Labels[labelRuntimeFlavor] == flavor && v.Labels[LabelManaged] == managedBy {
			_ = e.VolumeRemove(ctx, v.Name, false)
		}
	}
}
