package gke

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/distribution/reference"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/api/types/registry"
)

// Pusher is the part of the Docker Engine API that pushing uses;
// *client.Client from github.com/docker/docker/client satisfies it.
type Pusher interface {
	ImageTag(ctx context.Context, source, target string) error
	ImagePush(ctx context.Context, ref string, options image.PushOptions) (io.ReadCloser, error)
}

// tokenUser is the user name under which Google's registries take an OAuth2
// access token as the password.
const tokenUser = "oauth2accesstoken"

// remoteRef is where the local image goes in the repository: the same
// name's last element and the same tag, such as
// REGION-docker.pkg.dev/PROJECT/mvm/desktop:full-0123456789ab.
func remoteRef(repository, local string) (string, error) {
	named, err := reference.ParseNormalizedNamed(local)
	if err != nil {
		return "", fmt.Errorf("image %s: %w", local, err)
	}
	tag := "latest"
	if t, ok := named.(reference.Tagged); ok {
		tag = t.Tag()
	}
	path := reference.Path(named)
	name := path[strings.LastIndex(path, "/")+1:]

	ref := strings.TrimRight(repository, "/") + "/" + name + ":" + tag
	if _, err := reference.ParseNormalizedNamed(ref); err != nil {
		return "", fmt.Errorf("repository %q from the module's outputs: %w", repository, err)
	}
	return ref, nil
}

// pushImage tags the local image with its name in the repository and pushes
// it, authenticating with token. It returns the pushed reference pinned to
// its digest, so that the cluster runs exactly what was pushed.
func pushImage(ctx context.Context, e Pusher, local, repository, token string, progress io.Writer) (string, error) {
	ref, err := remoteRef(repository, local)
	if err != nil {
		return "", err
	}
	if err := e.ImageTag(ctx, local, ref); err != nil {
		return "", fmt.Errorf("tag %s as %s: %w", local, ref, err)
	}

	auth, err := registry.EncodeAuthConfig(registry.AuthConfig{
		Username:      tokenUser,
		Password:      token,
		ServerAddress: reference.Domain(mustParse(ref)),
	})
	if err != nil {
		return "", err
	}
	body, err := e.ImagePush(ctx, ref, image.PushOptions{RegistryAuth: auth})
	if err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	defer body.Close()

	digest, err := readPush(body, progress)
	if err != nil {
		return "", fmt.Errorf("push %s: %w", ref, err)
	}
	return ref + "@" + digest, nil
}

func mustParse(ref string) reference.Named {
	named, _ := reference.ParseNormalizedNamed(ref) // checked by remoteRef
	return named
}

// pushMessage is one JSON object of the engine's push stream.
type pushMessage struct {
	Status      string `json:"status"`
	Progress    string `json:"progress"`
	ID          string `json:"id"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
	Error string `json:"error"`
	Aux   *struct {
		Digest string `json:"Digest"`
	} `json:"aux"`
}

// readPush reads the push stream to its end, writing its status lines to
// progress, and returns the digest the registry gave the manifest.
func readPush(r io.Reader, progress io.Writer) (string, error) {
	dec := json.NewDecoder(r)
	digest := ""
	for {
		var m pushMessage
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("read the engine's progress: %w", err)
		}
		if m.Error != "" {
			return "", errors.New(strings.TrimSpace(m.Error))
		}
		if m.Aux != nil && m.Aux.Digest != "" {
			digest = m.Aux.Digest
		}
		if m.Status != "" && m.Progress == "" {
			fmt.Fprintln(progress, strings.TrimSpace(m.ID+" "+m.Status))
		}
	}
	if digest == "" {
		return "", errors.New("the engine reported no digest for the pushed image")
	}
	return digest, nil
}
