package image_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/testenv"
)

func TestUnchangedBuildIsANoOp(t *testing.T) {
	c := testenv.DockerClient(t)
	first := testenv.DesktopImage(t, c, image.Slim)

	began := time.Now()
	again, err := image.Build(context.Background(), c, image.BuildOptions{Flavor: image.Slim, Logger: log.Discard()})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Cached || again.ID != first.ID {
		t.Fatalf("second build of unchanged inputs made %s (cached %t), want the reuse of %s", again.ID, again.Cached, first.ID)
	}
	t.Logf("unchanged build returned in %s", time.Since(began).Round(time.Millisecond))
}

// The image holds the desktop's programs and none of the stack it replaces.
func TestImageContents(t *testing.T) {
	c := testenv.DockerClient(t)
	for _, tc := range []struct {
		flavor  image.Flavor
		has     []string
		hasNone []string
	}{
		{image.Slim,
			[]string{"Xvnc", "openbox", "xterm", "pcmanfm", "mousepad", "mvm-agent"},
			[]string{"firefox-esr", "python3", "node", "nodejs", "Xvfb", "x11vnc", "supervisord", "websockify"}},
		{image.Full,
			[]string{"Xvnc", "openbox", "xterm", "pcmanfm", "mousepad", "mvm-agent", "firefox-esr"},
			[]string{"python3", "node", "nodejs", "Xvfb", "x11vnc", "supervisord", "websockify"}},
	} {
		t.Run(string(tc.flavor), func(t *testing.T) {
			img := testenv.DesktopImage(t, c, tc.flavor)
			script := `for p in "$@"; do command -v "$p" >/dev/null && echo "has $p" || echo "lacks $p"; done
test -f /usr/share/novnc/vnc.html && echo "has novnc"
id -u`
			out := run(t, c, img.Ref, append([]string{"sh", "-c", script, "sh"}, append(tc.has, tc.hasNone...)...))
			for _, p := range append(tc.has, "novnc") {
				if !strings.Contains(out, "has "+p+"\n") {
					t.Errorf("the %s image lacks %s:\n%s", tc.flavor, p, out)
				}
			}
			for _, p := range tc.hasNone {
				if !strings.Contains(out, "lacks "+p+"\n") {
					t.Errorf("the %s image has %s:\n%s", tc.flavor, p, out)
				}
			}
			if !strings.HasSuffix(out, "1000\n") {
				t.Errorf("the image runs as %q, want user 1000", out[strings.LastIndex(strings.TrimSpace(out), "\n")+1:])
			}
			t.Logf("%s image: %.0f MB", tc.flavor, float64(img.Size)/1e6)
		})
	}
}

// run runs argv in a throwaway container of ref and returns its output.
func run(t *testing.T, c *client.Client, ref string, argv []string) string {
	t.Helper()
	out, _ := testenv.RunContainer(t, c, &container.Config{Image: ref, Entrypoint: argv[:1], Cmd: argv[1:]},
		&container.HostConfig{NetworkMode: "none"})
	return out
}
