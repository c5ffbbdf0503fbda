package bootstrap

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mvm-dev/mvm/internal/log"
)

// Defaults for [Options].
const (
	DefaultSuite          = "bookworm"
	DefaultMirror         = "http://deb.debian.org/debian"
	DefaultSecurityMirror = "http://deb.debian.org/debian-security"
	DefaultTag            = "mvm.local/debian:bookworm-slim"
	DefaultDownloads      = 4
)

// Labels set on the final image. Their values are the suite, the mirror, the
// date of the newest Release file the image was built from (RFC 3339), and
// the stamp that identifies its content ([Result.Stamp]).
const (
	LabelSuite  = "bootstrap.mvm/suite"
	LabelMirror = "bootstrap.mvm/mirror"
	LabelDate   = "bootstrap.mvm/date"
	LabelStamp  = "bootstrap.mvm/stamp"

	// LabelStage marks the intermediate images and containers, which
	// Build removes again.
	LabelStage = "bootstrap.mvm/stage"
)

// Options configure [Build]. The zero value builds Debian bookworm from
// deb.debian.org as [DefaultTag].
type Options struct {
	// Suite is the Debian suite or codename, such as "bookworm" or "trixie".
	Suite string
	// Mirror is the root of a Debian archive mirror.
	Mirror string
	// SecurityMirror is the root of a Debian security archive mirror.
	SecurityMirror string
	// NoUpdates builds from the release alone, without the suite's -updates
	// and -security pockets. Unstable and experimental have none anyway.
	NoUpdates bool
	// Include names more packages to install, with their dependencies, on
	// top of the minimal base system.
	Include []string
	// Tag is the name the final image gets.
	Tag string
	// Labels are added to the final image and to every intermediate image
	// and container, so that a caller can find what a build made.
	Labels map[string]string
	// Rebuild builds the image even when the engine already has one with
	// the same content stamp under Tag.
	Rebuild bool

	// Keyring, when set, holds the OpenPGP public keys (binary or
	// ASCII-armoured) that Release files must be signed with, instead of
	// Debian's archive keys for bookworm and trixie built into this package.
	Keyring []byte
	// CacheDir keeps downloaded packages between builds. Empty means the
	// user's cache directory (mvm/debs inside it).
	CacheDir string
	// Downloads is how many packages are downloaded at a time.
	Downloads int
	// HTTPClient fetches from the mirrors. The default honours the proxy
	// environment variables and gives up on a mirror that does not answer
	// within a minute.
	HTTPClient *http.Client

	// Logger shows progress; nil shows nothing.
	Logger *log.Logger
}

// withDefaults fills in the zero fields.
func (o Options) withDefaults() Options {
	o.Suite = orDefault(o.Suite, DefaultSuite)
	o.Mirror = strings.TrimRight(orDefault(o.Mirror, DefaultMirror), "/")
	o.SecurityMirror = strings.TrimRight(orDefault(o.SecurityMirror, DefaultSecurityMirror), "/")
	o.Tag = orDefault(o.Tag, DefaultTag)
	if o.Downloads <= 0 {
		o.Downloads = DefaultDownloads
	}
	if o.HTTPClient == nil {
		o.HTTPClient = newHTTPClient(o.Downloads)
	}
	if o.Logger == nil {
		o.Logger = log.Discard()
	}
	if o.CacheDir == "" {
		o.CacheDir = defaultCacheDir()
	}
	return o
}

// pockets lists the suites the image is built from, in sources.list order.
func (o Options) pockets() []pocket {
	pockets := []pocket{{Mirror: o.Mirror, Suite: o.Suite}}
	switch o.Suite {
	case "sid", "unstable", "experimental", "rc-buggy":
		return pockets
	}
	if o.NoUpdates {
		return pockets
	}
	return append(pockets,
		pocket{Mirror: o.Mirror, Suite: o.Suite + "-updates"},
		pocket{Mirror: o.SecurityMirror, Suite: o.Suite + "-security"},
	)
}

// newHTTPClient returns a client that keeps a connection per concurrent
// download and fails on a mirror that stops answering, rather than hanging.
func newHTTPClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: time.Minute,
		IdleConnTimeout:       time.Minute,
		MaxIdleConnsPerHost:   conns,
		ForceAttemptHTTP2:     true,
	}}
}

func defaultCacheDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "mvm", "debs")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
