package bootstrap

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/docker/docker/api/types"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/network"
	"github.com/docker/docker/api/types/system"
	"github.com/docker/docker/client"
	ocispec "github.com/opencontainers/image-spec/specs-go/v1"
)

// Engine is the part of the Docker Engine API the bootstrap uses;
// *client.Client from github.com/docker/docker/client satisfies it.
type Engine interface {
	Info(ctx context.Context) (system.Info, error)

	ImageImport(
		ctx context.Context,
		source image.ImportSource,
		ref string,
		options image.ImportOptions,
	) (io.ReadCloser, error)
	ImageInspect(
		ctx context.Context,
		imageID string,
		options ...client.ImageInspectOption,
	) (image.InspectResponse, error)
	ImageRemove(ctx context.Context, imageID string, options image.RemoveOptions) ([]image.DeleteResponse, error)

	ContainerCreate(
		ctx context.Context,
		config *container.Config,
		hostConfig *container.HostConfig,
		networkingConfig *network.NetworkingConfig,
		platform *ocispec.Platform,
		containerName string,
	) (container.CreateResponse, error)
	ContainerAttach(
		ctx context.Context,
		container string,
		options container.AttachOptions,
	) (types.HijackedResponse, error)
	ContainerStart(ctx context.Context, container string, options container.StartOptions) error
	ContainerWait(
		ctx context.Context,
		container string,
		condition container.WaitCondition,
	) (<-chan container.WaitResponse, <-chan error)
	ContainerExport(ctx context.Context, container string) (io.ReadCloser, error)
	ContainerRemove(ctx context.Context, container string, options container.RemoveOptions) error
}

// errImportEnded stops a tar writer whose consumer, the image import, has
// already returned.
var errImportEnded = errors.New("image import ended")

// importStream imports the tar stream that write produces as an image named
// ref ("" for none) and returns the image's ID. The stream goes through a
// pipe, so no copy of it is ever stored on disk. A failure of write is
// reported rather than the broken upload it causes.
func importStream(
	ctx context.Context,
	engine Engine,
	ref string,
	changes []string,
	write func(io.Writer) error,
) (string, error) {
	pr, pw := io.Pipe()
	werr := make(chan error, 1)
	go func() {
		err := write(pw)
		pw.CloseWithError(err)
		werr <- err
	}()

	id, err := importImage(ctx, engine, pr, ref, changes)
	pr.CloseWithError(errImportEnded)
	if wErr := <-werr; wErr != nil && !errors.Is(wErr, errImportEnded) {
		return "", wErr
	}
	return id, err
}

// importImage sends a root filesystem tar to the engine and reads the
// import's progress messages to learn the new image's ID.
func importImage(ctx context.Context, engine Engine, r io.Reader, ref string, changes []string) (string, error) {
	src := image.ImportSource{Source: r, SourceName: "-"}
	rc, err := engine.ImageImport(ctx, src, ref, image.ImportOptions{Changes: changes})
	if err != nil {
		return "", fmt.Errorf("import image: %w", err)
	}
	defer rc.Close()

	var id string
	dec := json.NewDecoder(rc)
	for {
		var msg struct {
			Status string `json:"status"`
			Error  string `json:"error"`
		}
		if err := dec.Decode(&msg); err == io.EOF {
			break
		} else if err != nil {
			return "", fmt.Errorf("import image: read engine response: %w", err)
		}
		if msg.Error != "" {
			return "", fmt.Errorf("import image: engine: %s", msg.Error)
		}
		if strings.HasPrefix(msg.Status, "sha256:") {
			id = strings.TrimSpace(msg.Status)
		}
	}
	if id == "" {
		return "", errors.New("import image: the engine returned no image ID")
	}
	return id, nil
}
