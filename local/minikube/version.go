package minikube

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Version is a minikube release, as in v1.34.0.
type Version struct{ Major, Minor, Patch int }

func (v Version) String() string { return fmt.Sprintf("v%d.%d.%d", v.Major, v.Minor, v.Patch) }

// AtLeast reports whether v is o or newer.
func (v Version) AtLeast(o Version) bool {
	if v.Major != o.Major {
		return v.Major > o.Major
	}
	if v.Minor != o.Minor {
		return v.Minor > o.Minor
	}
	return v.Patch >= o.Patch
}

// MinVersion is the oldest minikube mvm drives: the first with
// `--ports` for the docker driver and JSON output for `image ls`.
var MinVersion = Version{1, 26, 0}

// Version asks minikube for its version (`minikube version -o json`).
func (m *CLI) Version(ctx context.Context) (Version, error) {
	out, err := m.Runner.Output(ctx, execCmd(m.Binary, "version", "--output", "json"))
	if err != nil {
		return Version{}, fmt.Errorf("ask minikube for its version: %w", err)
	}
	return ParseVersion(out)
}

// ParseVersion reads the output of `minikube version -o json`.
func ParseVersion(b []byte) (Version, error) {
	var v struct {
		MinikubeVersion string `json:"minikubeVersion"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return Version{}, fmt.Errorf("read minikube's version: %w", err)
	}
	return parseSemver(v.MinikubeVersion)
}

func parseSemver(s string) (Version, error) {
	core, _, _ := strings.Cut(strings.TrimPrefix(s, "v"), "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("read minikube's version: %q is not vMAJOR.MINOR.PATCH", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 {
			return Version{}, fmt.Errorf("read minikube's version: %q is not vMAJOR.MINOR.PATCH", s)
		}
		n[i] = v
	}
	return Version{n[0], n[1], n[2]}, nil
}
