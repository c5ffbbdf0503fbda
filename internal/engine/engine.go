// Package engine connects to the Docker Engine and turns its failures into
// errors that say what to do.
package engine

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/docker/docker/client"
)

// Connect returns a client for the engine named by DOCKER_HOST (or the
// default socket), after checking that it answers. The API version is
// negotiated, so engines as old as Docker 20.10 (API 1.41) work.
func Connect(ctx context.Context) (*client.Client, error) {
	c, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		return nil, fmt.Errorf("configure Docker client: %w", err)
	}

	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.Ping(pingCtx); err != nil {
		c.Close()
		return nil, &UnreachableError{Host: host(c), Err: err}
	}
	return c, nil
}

// UnreachableError means the Docker Engine did not answer.
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	where := "DOCKER_HOST is not set, so the default " + e.Host + " was used"
	if os.Getenv("DOCKER_HOST") != "" {
		where = "DOCKER_HOST=" + os.Getenv("DOCKER_HOST")
	}
	return fmt.Sprintf("cannot reach the Docker Engine at %s (%s): start Docker "+
		"(for example `sudo systemctl start docker`) or point DOCKER_HOST at a running engine",
		e.Host, where)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

func host(c *client.Client) string {
	if h := c.DaemonHost(); h != "" {
		return h
	}
	return client.DefaultDockerHost
}
