package docker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/volume"
	"github.com/docker/docker/errdefs"
	"github.com/docker/docker/pkg/stdcopy"
)

// PortInUseError means the host port asked for is taken.
type PortInUseError struct {
	Port int
	Err  error
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d on 127.0.0.1 is already in use: choose another with --port, or leave it out "+
		"for a free one", e.Port)
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// CheckPort fails early, before anything is created, when a requested port is
// taken. The engine would refuse it too, but only after creating the
// container.
func CheckPort(port int) error {
	if port == 0 {
		return nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
	if err != nil {
		return &PortInUseError{Port: port, Err: err}
	}
	return ln.Close()
}

// Create makes the desktop's container (and its home volume when persistent)
// without starting it. It reports whether it created that volume, so that a
// failed start can remove what this run made and nothing else.
func Create(ctx context.Context, e Engine, s Spec) (id string, newVolume bool, err error) {
	// The engine finishes a create even when its client goes away, so an
	// interrupted request could leave a container or volume nobody knows
	// of. Both requests therefore run to the end, and an interrupt is
	// honoured right after them by removing what they made, and only that.
	uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()

	if s.Persist {
		newVolume, err = ensureVolume(uctx, e, s.Name)
		if err == nil {
			err = context.Cause(ctx)
		}
		if err != nil {
			return "", false, errors.Join(err, dropVolume(ctx, e, s.Name, newVolume))
		}
	}

	cfg, host := containerConfig(s)
	resp, err := e.ContainerCreate(uctx, cfg, host, nil, nil, ContainerName(s.Name))
	if err != nil {
		err = fmt.Errorf("create desktop %s: %w", s.Name, err)
		return "", false, errors.Join(err, dropVolume(ctx, e, s.Name, newVolume))
	}
	if err := context.Cause(ctx); err != nil {
		return "", false, errors.Join(err, cleanup(ctx, e, s.Name, newVolume))
	}
	return resp.ID, newVolume, nil
}

// dropVolume removes the home volume of a desktop whose creation failed, if
// the failed creation made it.
func dropVolume(ctx context.Context, e Engine, name string, made bool) error {
	if !made {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	return removeVolume(ctx, e, name)
}

// removeVolume deletes a desktop's home volume, with its data; a volume that
// does not exist is not an error.
func removeVolume(ctx context.Context, e Engine, name string) error {
	err := e.VolumeRemove(ctx, HomeVolume(name), false)
	if err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("remove home volume of %s: %w", name, err)
	}
	return nil
}

// ensureVolume creates the home volume unless it exists, and reports whether
// it created it.
func ensureVolume(ctx context.Context, e Engine, name string) (bool, error) {
	_, err := e.VolumeInspect(ctx, HomeVolume(name))
	if err == nil {
		return false, nil
	}
	if !errdefs.IsNotFound(err) {
		return false, fmt.Errorf("inspect home volume of %s: %w", name, err)
	}
	_, err = e.VolumeCreate(ctx, volume.CreateOptions{
		Name:   HomeVolume(name),
		Labels: map[string]string{LabelManaged: managedBy, LabelDesktop: name},
	})
	if err != nil {
		return false, fmt.Errorf("create home volume of %s: %w", name, err)
	}
	return true, nil
}

// Start starts a created or stopped desktop container.
func Start(ctx context.Context, e Engine, id string, port int) error {
	err := e.ContainerStart(ctx, id, container.StartOptions{})
	if err != nil && port != 0 && isPortConflict(err) {
		return &PortInUseError{Port: port, Err: err}
	}
	if err != nil {
		return fmt.Errorf("start desktop container: %w", err)
	}
	return nil
}

func isPortConflict(err error) bool {
	s := err.Error()
	return strings.Contains(s, "port is already allocated") || strings.Contains(s, "address already in use")
}

// RemoveOptions say what goes with a desktop.
type RemoveOptions struct {
	// Home also removes a persistent desktop's home volume, with its data.
	Home bool
}

// Remove deletes a desktop's container and, when asked, its home volume.
// Removing a desktop that does not exist is not an error.
func Remove(ctx context.Context, e Engine, name string, o RemoveOptions) error {
	err := e.ContainerRemove(ctx, ContainerName(name), container.RemoveOptions{Force: true, RemoveVolumes: true})
	if err != nil && !errdefs.IsNotFound(err) {
		return fmt.Errorf("remove desktop %s: %w", name, err)
	}
	if !o.Home {
		return nil
	}
	return removeVolume(ctx, e, name)
}

// cleanup removes what a failed start made, on a context of its own so that
// Ctrl-C does not stop the cleanup it caused.
func cleanup(ctx context.Context, e Engine, name string, newVolume bool) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
	defer cancel()
	return Remove(ctx, e, name, RemoveOptions{Home: newVolume})
}

// LogsOptions select a desktop's log output.
type LogsOptions struct {
	Follow bool
	Tail   string
	Since  string
}

// Logs copies the desktop's log (the agent's JSON lines) to w.
func Logs(ctx context.Context, e Engine, name string, w io.Writer, o LogsOptions) error {
	rc, err := e.ContainerLogs(ctx, ContainerName(name), container.LogsOptions{
		ShowStdout: true, ShowStderr: true, Follow: o.Follow, Tail: o.Tail, Since: o.Since,
	})
	if errdefs.IsNotFound(err) {
		return fmt.Errorf("no desktop named %s on Docker: see `mvm ls`", name)
	}
	if err != nil {
		return fmt.Errorf("read logs of %s: %w", name, err)
	}
	defer rc.Close()

	_, err = stdcopy.StdCopy(w, w, rc)
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("read logs of %s: %w", name, err)
	}
	return nil
}
