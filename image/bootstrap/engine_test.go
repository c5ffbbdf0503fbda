package bootstrap

import "github.com/docker/docker/client"

// The Docker client must keep satisfying the interface Build takes.
var _ Engine = (*client.Client)(nil)
