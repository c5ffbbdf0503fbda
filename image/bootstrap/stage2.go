package bootstrap

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// stagingDir holds the .debs and the second-stage script inside the
// first-stage image; the final image drops it.
const stagingDir = "mvm-bootstrap"

// stage2Script is the second stage, run by /bin/sh inside the container.
//
//go:embed stage2.sh
var stage2Script string

// corePackages are installed one at a time, in this order, before anything
// else: each one's maintainer scripts need only the ones before it (users
// and groups, the base directories, dpkg, the C library, perl, awk,
// debconf).
var corePackages = []string{"base-passwd", "base-files", "dpkg", "libc6", "perl-base", "mawk", "debconf"}

// stage2Tail is how many of the second stage's last output lines an error
// shows.
const stage2Tail = 20

// renderStage2 fills the second-stage script with the package lists. Package
// names were validated when the index was parsed, so they are safe to put in
// a shell script unquoted.
func renderStage2(p *plan) string {
	return strings.NewReplacer(
		"@STAGING@", "/"+stagingDir,
		"@CORE@", strings.Join(p.core(), " "),
		"@REQUIRED@", strings.Join(names(p.requiredRest()), " "),
		"@BASE@", strings.Join(names(p.Base), " "),
	).Replace(stage2Script)
}

// runStage2 runs the second stage in a container from the first-stage image
// with no network, streaming its output to out. It returns the container's
// ID, also on failure, so that the caller can remove it.
func runStage2(
	ctx context.Context,
	engine Engine,
	imageID, name string,
	labels map[string]string,
	out io.Writer,
) (string, error) {
	cfg := &container.Config{
		Image:      imageID,
		Cmd:        []string{"/bin/sh", "/" + stagingDir + "/stage2.sh"},
		WorkingDir: "/",
		Labels:     labels,
	}
	created, err := engine.ContainerCreate(ctx, cfg, &container.HostConfig{NetworkMode: "none"}, nil, nil, name)
	if err != nil {
		return "", fmt.Errorf("create second-stage container: %w", err)
	}

	tail := newTailWriter(stage2Tail)
	code, err := runAttached(ctx, engine, created.ID, io.MultiWriter(out, tail))
	if err != nil {
		return created.ID, err
	}
	if code != 0 {
		return created.ID, fmt.Errorf("second stage exited with status %d; its last lines:\n%s", code, tail)
	}
	return created.ID, nil
}

// runAttached starts a created container, copies its output to out until it
// exits, and returns its exit status.
func runAttached(ctx context.Context, engine Engine, id string, out io.Writer) (int64, error) {
	hj, err := engine.ContainerAttach(ctx, id, container.AttachOptions{Stream: true, Stdout: true, Stderr: true})
	if err != nil {
		return 0, fmt.Errorf("attach to container %s: %w", id, err)
	}
	defer hj.Close()

	copied := make(chan error, 1)
	go func() {
		_, err := stdcopy.StdCopy(out, out, hj.Reader)
		copied <- err
	}()

	waitc, errc := engine.ContainerWait(ctx, id, container.WaitConditionNextExit)
	if err := engine.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		return 0, fmt.Errorf("start container %s: %w", id, err)
	}

	select {
	case res := <-waitc:
		<-copied // the stream ends when the container exits
		if res.Error != nil {
			return 0, fmt.Errorf("wait for container %s: %s", id, res.Error.Message)
		}
		return res.StatusCode, nil
	case err := <-errc:
		return 0, fmt.Errorf("wait for container %s: %w", id, err)
	}
}
