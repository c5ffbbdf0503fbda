package docker

import (
	"encoding/hex"
	"strconv"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/mount"
	"github.com/docker/go-connections/nat"

	"github.com/mvm-dev/mvm/internal/desktop"
)

// Spec is a desktop to run.
type Spec struct {
	Name  string
	Image string
	// Flavor is recorded on the container for listing.
	Flavor string
	// Port is the host port on 127.0.0.1; 0 lets the engine pick a free one.
	Port int
	// Resolution is the initial screen size, "WxH".
	Resolution string
	// TokenHash is the SHA-256 of the desktop's token; the container never
	// sees the token itself.
	TokenHash [32]byte
	// Persist keeps the home directory in a named volume.
	Persist bool
	// Memory in bytes, CPUs and Pids limit the container.
	Memory int64
	CPUs   float64
	Pids   int64
	// ShmSize is the size of /dev/shm in bytes.
	ShmSize int64
	// VNCPassword, when set, opens a port on 127.0.0.1 for native VNC
	// viewers, who must give this password.
	VNCPassword string
	// RuntimeOf, when set, is the ID of Image, whose runtime volume (see
	// [PrepareRuntime]) is mounted over /usr.
	RuntimeOf string
}

var (
	agentPort = nat.Port(strconv.Itoa(desktop.Port) + "/tcp")
	vncPort   = nat.Port("5900/tcp")
)

// containerConfig is the hardened configuration of a desktop container: no
// capabilities, no privilege escalation, a read-only root file system, a
// non-root user (the image's), limits on memory, CPU and processes, and the
// port published on loopback only.
func containerConfig(s Spec) (*container.Config, *container.HostConfig) {
	stop := 5
	cfg := &container.Config{
		Image:    s.Image,
		Hostname: s.Name,
		Env: []string{
			"MVM_TOKEN_SHA256=" + hex.EncodeToString(s.TokenHash[:]),
			"MVM_RESOLUTION=" + s.Resolution,
		},
		ExposedPorts: nat.PortSet{agentPort: struct{}{}},
		Labels:       labels(s),
		StopTimeout:  &stop,
	}

	host := &container.HostConfig{
		PortBindings: nat.PortMap{agentPort: {{HostIP: "127.0.0.1", HostPort: portString(s.Port)}}},
		Resources: container.Resources{
			Memory:    s.Memory,
			NanoCPUs:  int64(s.CPUs * 1e9),
			PidsLimit: &s.Pids,
		},
		ShmSize:        s.ShmSize,
		CapDrop:        []string{"ALL"},
		SecurityOpt:    []string{"no-new-privileges:true"},
		ReadonlyRootfs: true,
		Tmpfs:          map[string]string{"/tmp": "rw,nosuid,nodev,size=256m,mode=1777"},
		RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
		Mounts:         []mount.Mount{homeMount(s)},
	}
	if s.RuntimeOf != "" {
		host.Mounts = append(host.Mounts, runtimeMount(s.RuntimeOf))
	}
	if s.VNCPassword != "" {
		cfg.Env = append(cfg.Env, "MVM_VNC_PASSWORD="+s.VNCPassword)
		cfg.ExposedPorts[vncPort] = struct{}{}
		host.PortBindings[vncPort] = []nat.PortBinding{{HostIP: "127.0.0.1"}}
		cfg.Labels[LabelVNC] = "true"
	}
	return cfg, host
}

// homeMount keeps the home directory on a volume, the only writable place
// besides /tmp. A persistent desktop's volume is named and survives removal;
// otherwise it is anonymous and goes with the container. Either way the
// engine fills a new volume with the image's home directory.
func homeMount(s Spec) mount.Mount {
	m := mount.Mount{Type: mount.TypeVolume, Target: Home}
	if s.Persist {
		m.Source = HomeVolume(s.Name)
	}
	return m
}

func labels(s Spec) map[string]string {
	return map[string]string{
		LabelManaged: managedBy,
		LabelDesktop: s.Name,
		LabelPersist: strconv.FormatBool(s.Persist),
		LabelFlavor:  s.Flavor,
		LabelRes:     s.Resolution,
	}
}

func portString(p int) string {
	if p == 0 {
		return ""
	}
	return strconv.Itoa(p)
}
