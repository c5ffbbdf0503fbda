// Package desktop holds what every target shares about a desktop: its name
// rules, its secret token, its resource defaults, and the way a start is
// timed and reported.
package desktop

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"regexp"
)

// MaxNameLen keeps derived names (containers, volumes, Kubernetes objects
// with suffixes) within Kubernetes' 63-character limit.
const MaxNameLen = 40

var nameRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)

// ValidateName checks a desktop name: lowercase letters, digits and inner
// dashes, as a DNS label, so the same name works on Docker and Kubernetes.
func ValidateName(name string) error {
	if len(name) > MaxNameLen || !nameRE.MatchString(name) {
		return fmt.Errorf("invalid desktop name %q: use 1 to %d lowercase letters, digits and inner dashes, "+
			"for example dev or team-1", name, MaxNameLen)
	}
	return nil
}

// NewToken returns a fresh random token of 256 bits, URL-safe.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// NewVNCPassword returns a random password for the VNC port. VNC
// authentication uses only eight characters, so it has eight, from an
// alphabet without look-alikes, to be typed into a viewer.
func NewVNCPassword() (string, error) {
	const alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generate VNC password: %w", err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b), nil
}

// URLWithToken is the address a user opens: the token rides in the URL once,
// and the agent moves it into a cookie and out of the address bar.
func URLWithToken(base, token string) string {
	return base + "/?token=" + token
}

// Resources a desktop gets unless told otherwise.
const (
	DefaultMemory = 1 << 30 // bytes
	DefaultCPUs   = 1.0
	DefaultPids   = 1024
	// DefaultShm is /dev/shm: Firefox's content processes share memory
	// through it, and Docker's 64 MiB default crashes tabs.
	DefaultShm = 512 << 20
	// Port is the agent's port inside the container or pod.
	Port = 6080
)
