package gke

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/oauth2/google"
)

// cloudPlatformScope is the OAuth2 scope of the token that mvm pushes the
// image and talks to the cluster's API server with.
const cloudPlatformScope = "https://www.googleapis.com/auth/cloud-platform"

// AccessToken returns an OAuth2 access token from the same credentials the
// google provider uses, in the same order: GOOGLE_OAUTH_ACCESS_TOKEN,
// GOOGLE_CREDENTIALS (a key file's content), then application default
// credentials. Artifact Registry accepts it as the password of the user
// oauth2accesstoken, and a GKE API server as a bearer token.
func AccessToken(ctx context.Context, o Options) (string, error) {
	o = o.withDefaults()
	if token := o.getenv("GOOGLE_OAUTH_ACCESS_TOKEN"); token != "" {
		return token, nil
	}

	creds, err := credentials(ctx, o.getenv("GOOGLE_CREDENTIALS"))
	if err != nil {
		return "", err
	}
	token, err := creds.TokenSource.Token()
	if err != nil {
		return "", fmt.Errorf("get an access token from the Google credentials "+
			"(run %q again if they expired): %w", "gcloud auth application-default login", err)
	}
	if token.AccessToken == "" {
		return "", errors.New("the Google credentials gave an empty access token")
	}
	return token.AccessToken, nil
}

// credentials reads a key given as content or as a file's path, as the
// google provider takes GOOGLE_CREDENTIALS, or else finds application
// default credentials.
func credentials(ctx context.Context, content string) (*google.Credentials, error) {
	if content != "" && !strings.HasPrefix(strings.TrimSpace(content), "{") {
		data, err := os.ReadFile(content)
		if err != nil {
			return nil, fmt.Errorf("read the key file in GOOGLE_CREDENTIALS: %w", err)
		}
		content = string(data)
	}
	if content != "" {
		creds, err := google.CredentialsFromJSON(ctx, []byte(content), cloudPlatformScope)
		if err != nil {
			return nil, fmt.Errorf("read the key in GOOGLE_CREDENTIALS: %w", err)
		}
		return creds, nil
	}
	creds, err := google.FindDefaultCredentials(ctx, cloudPlatformScope)
	if err != nil {
		return nil, fmt.Errorf("no Google credentials: run %q: %w",
			"gcloud auth application-default login", err)
	}
	return creds, nil
}
