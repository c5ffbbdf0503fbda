package bootstrap_test

import (
	"context"
	"fmt"
	"os"

	"github.com/docker/docker/client"

	"github.com/mvm-dev/mvm/image/bootstrap"
	"github.com/mvm-dev/mvm/internal/log"
)

// Build a Debian bookworm base image on the local Docker Engine, or reuse the
// one an earlier build left.
func ExampleBuild() {
	engine, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	defer engine.Close()

	res, err := bootstrap.Build(context.Background(), engine, bootstrap.Options{
		Logger: log.New(os.Stderr, log.Options{}),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	fmt.Println(res.Tag, res.ID)
}
