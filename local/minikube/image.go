package minikube

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// ImageID is the ID under which the profile's container runtime holds ref,
// or "" when it has no such image (`minikube image ls --format json`).
func (m *CLI) ImageID(ctx context.Context, ref string) (string, error) {
	out, err := m.run(ctx, "image", "ls", "--format", "json")
	if err != nil {
		return "", err
	}
	return ParseImageID(out, ref)
}

// ParseImageID finds ref in the output of `minikube image ls --format json`
// and returns its ID as "sha256:…", the form the Docker Engine uses.
func ParseImageID(b []byte, ref string) (string, error) {
	var images []struct {
		ID       string   `json:"id"`
		RepoTags []string `json:"repoTags"`
	}
	if err := json.Unmarshal(b, &images); err != nil {
		return "", fmt.Errorf("read minikube's image list: %w", err)
	}
	for _, img := range images {
		for _, tag := range img.RepoTags {
			if sameRef(tag, ref) {
				return "sha256:" + strings.TrimPrefix(img.ID, "sha256:"), nil
			}
		}
	}
	return "", nil
}

// sameRef compares image names the way a runtime normalises them: Docker
// Hub names gain docker.io/ and library/.
func sameRef(a, b string) bool {
	return normalize(a) == normalize(b)
}

func normalize(ref string) string {
	first, _, found := strings.Cut(ref, "/")
	if !found || !strings.ContainsAny(first, ".:") && first != "localhost" {
		if !found {
			ref = "library/" + ref
		}
		ref = "docker.io/" + ref
	}
	return ref
}

// LoadImage copies ref from the Docker Engine into the profile, unless the
// profile already holds it as id. It reports whether it copied.
func (m *CLI) LoadImage(ctx context.Context, ref, id string) (bool, error) {
	have, err := m.ImageID(ctx, ref)
	if err != nil {
		return false, err
	}
	if have == id {
		return false, nil
	}
	if _, err := m.run(ctx, "image", "load", ref); err != nil {
		return false, fmt.Errorf("load image %s: %w", ref, err)
	}
	return true, nil
}

// Delete deletes the profile and its cluster.
func (m *CLI) Delete(ctx context.Context) error {
	_, err := m.run(ctx, "delete")
	return err
}
