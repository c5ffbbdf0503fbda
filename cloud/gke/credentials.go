package gke

import (
	"context"

	"golang.org/x/oauth2/google"
)

// tokenEnv are the variables holding credentials that the google provider
// reads before it looks for application default credentials.
var tokenEnv = []string{"GOOGLE_OAUTH_ACCESS_TOKEN", "GOOGLE_CREDENTIALS"}

// findCredentials reports where the google provider will find credentials,
// or why it will find none. It only finds them: whether they are still
// valid shows in terraform's first call to Google.
//
// NOTE: without the variables above, this looks for application default
// credentials, which on a machine without a credentials file includes
// probing the GCE metadata server.
func findCredentials(ctx context.Context, getenv func(string) string) (string, error) {
	for _, name := range tokenEnv {
		if getenv(name) != "" {
			return name, nil
		}
	}
	if _, err := google.FindDefaultCredentials(ctx, cloudPlatformScope); err != nil {
		return "", err
	}
	return "application default credentials", nil
}
