package agent

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// Config is what the agent needs to run a desktop. [ConfigFromEnv] fills it
// from MVM_* environment variables, which is how Docker and Kubernetes pass it.
type Config struct {
	// TokenHash is the SHA-256 of the desktop's secret token. The agent never
	// needs the token itself.
	TokenHash [32]byte
	// Listen is the HTTP address, ":6080" by default.
	Listen string
	// Width and Height are the initial screen size; browsers may resize it.
	Width, Height int
	// WebRoot is the directory of the noVNC files.
	WebRoot string
	// RunDir holds the VNC socket; it must be private to the desktop user.
	RunDir string
	// VNCListen, when set, opens a TCP port for native VNC viewers, who
	// must give VNCPassword.
	VNCListen   string
	VNCPassword string
	// Display is the X display number.
	Display int
	// Session is the command started once the X server is up (the window
	// manager), as argv.
	Session []string
}

// Defaults of the environment-driven configuration.
const (
	DefaultListen     = ":6080"
	DefaultResolution = "1280x800"
	DefaultWebRoot    = "/usr/share/novnc"
	DefaultRunDir     = "/tmp/mvm"
	DefaultVNCListen  = ":5900"
	// DefaultSession starts Openbox with the image's own autostart script
	// rather than openbox-session, whose XDG autostart needs Python.
	DefaultSession = "openbox --startup /usr/local/libexec/mvm-autostart"
)

var resolutionRE = regexp.MustCompile(`^([0-9]{3,5})x([0-9]{3,5})$`)

// ParseResolution parses "WxH", allowing sizes from 320x200 to 8192x8192.
func ParseResolution(s string) (w, h int, err error) {
	m := resolutionRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, fmt.Errorf("resolution %q is not WIDTHxHEIGHT, for example 1920x1080", s)
	}
	w, _ = strconv.Atoi(m[1])
	h, _ = strconv.Atoi(m[2])
	if w < 320 || h < 200 || w > 8192 || h > 8192 {
		return 0, 0, fmt.Errorf("resolution %s is outside 320x200 to 8192x8192", s)
	}
	return w, h, nil
}

// HashToken returns the SHA-256 of a token, as the agent stores it.
func HashToken(token string) [32]byte {
	return sha256.Sum256([]byte(token))
}

// ConfigFromEnv reads the configuration from the environment, through getenv
// so that tests need not touch the process environment. The token comes from
// MVM_TOKEN_FILE (a mounted Secret) or MVM_TOKEN_SHA256; without either the
// agent refuses to start rather than serve an open desktop.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Listen:  or(getenv("MVM_LISTEN"), DefaultListen),
		WebRoot: or(getenv("MVM_WEB_ROOT"), DefaultWebRoot),
		RunDir:  or(getenv("MVM_RUN_DIR"), DefaultRunDir),
		Session: strings.Fields(or(getenv("MVM_SESSION"), DefaultSession)),
	}

	var err error
	if c.TokenHash, err = tokenHash(getenv); err != nil {
		return Config{}, err
	}
	if c.Width, c.Height, err = ParseResolution(or(getenv("MVM_RESOLUTION"), DefaultResolution)); err != nil {
		return Config{}, err
	}
	if c.VNCPassword = getenv("MVM_VNC_PASSWORD"); c.VNCPassword != "" {
		if len(c.VNCPassword) < 6 {
			return Config{}, fmt.Errorf("MVM_VNC_PASSWORD must have at least 6 characters")
		}
		c.VNCListen = or(getenv("MVM_VNC_LISTEN"), DefaultVNCListen)
	}
	return c, nil
}

func tokenHash(getenv func(string) string) ([32]byte, error) {
	if f := getenv("MVM_TOKEN_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err != nil {
			return [32]byte{}, fmt.Errorf("read token: %w", err)
		}
		t := strings.TrimSpace(string(b))
		if len(t) < 16 {
			return [32]byte{}, fmt.Errorf("token in %s is shorter than 16 characters", f)
		}
		return HashToken(t), nil
	}

	h := getenv("MVM_TOKEN_SHA256")
	b, err := hex.DecodeString(h)
	if h == "" || err != nil || len(b) != 32 {
		return [32]byte{}, fmt.Errorf("no desktop token: set MVM_TOKEN_FILE or MVM_TOKEN_SHA256 (64 hex digits)")
	}
	return [32]byte(b), nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
