package docker_test

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/volume"

	"github.com/mvm-dev/mvm/local/docker"
)

func TestRuntimeVolumeIsSharedAndReadOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	name := "e2e-runtime"
	e.removeAtEnd(t, name)

	res, err := e.up(t, ctx, name, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.VolumeInspect(ctx, docker.RuntimeVolume(e.img.ID)); err != nil {
		t.Fatalf("no runtime volume after a start: %v", err)
	}
	ins, err := e.c.ContainerInspect(ctx, res.Desktop.ContainerID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range ins.Mounts {
		if m.Destination == "/usr" {
			found = true
			if m.Name != docker.RuntimeVolume(e.img.ID) || m.RW {
				t.Errorf("/usr is mounted from %q, writable %t; want the runtime volume, read-only", m.Name, m.RW)
			}
		}
	}
	if !found {
		t.Error("the desktop does not mount the runtime volume over /usr")
	}

	made, err := docker.PrepareRuntime(ctx, e.c, e.img.ID, "slim")
	if err != nil || made {
		t.Errorf("preparing an existing runtime volume made %t, err %v; want a no-op", made, err)
	}
}

// A newer image's volume replaces an older one of its flavor that no desktop
// uses, and leaves other flavors alone.
func TestRuntimeVolumesOfOlderImagesArePruned(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	labels := func(of, flavor string) map[string]string {
		return map[string]string{"mvm.dev/managed-by": "mvm", docker.LabelRuntime: of, "mvm.dev/runtime-flavor": flavor}
	}
	old := "sha256:1000000000000000000000000000000000000000000000000000000000000000"
	other := "sha256:2000000000000000000000000000000000000000000000000000000000000000"
	for id, flavor := range map[string]string{old: "slim", other: "full"} {
		if _, err := e.c.VolumeCreate(ctx, volume.CreateOptions{Name: docker.RuntimeVolume(id), Labels: labels(id, flavor)}); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = e.c.VolumeRemove(context.Background(), docker.RuntimeVolume(id), true) })
	}
	_ = e.c.VolumeRemove(ctx, docker.RuntimeVolume(e.img.ID), false)

	if _, err := docker.PrepareRuntime(ctx, e.c, e.img.ID, "slim"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.c.VolumeInspect(ctx, docker.RuntimeVolume(old)); err == nil {
		t.Error("the older slim image's runtime volume was kept")
	}
	if _, err := e.c.VolumeInspect(ctx, docker.RuntimeVolume(other)); err != nil {
		t.Error("the full flavor's runtime volume was removed with the slim one's")
	}
}
