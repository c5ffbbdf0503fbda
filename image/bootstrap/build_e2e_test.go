package bootstrap_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/mvm-dev/mvm/image/bootstrap"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/testenv"
)

// testTag is the tag the end-to-end tests build, apart from the default one.
const testTag = "mvm.local/debian:bootstrap-test"

// wantSources and wantExcludes are the apt sources and dpkg excludes the
// image must have.
const (
	wantSources = "deb http://deb.debian.org/debian bookworm main\n" +
		"deb http://deb.debian.org/debian bookworm-updates main\n" +
		"deb http://deb.debian.org/debian-security bookworm-security main\n"
	wantExcludes = `# Keep the image small: install no documentation, manual pages or
# translations. Licences stay with every package.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
`
)

// TestBuild builds bookworm from deb.debian.org and checks that the image is
// a sound Debian system that apt can extend.
func TestBuild(t *testing.T) {
	ctx := context.Background()
	c := testenv.DockerClient(t)

	start := time.Now()
	label := testLabel()
	res, err := bootstrap.Build(ctx, c, bootstrap.Options{
		Tag:     testTag,
		Rebuild: true,
		Labels:  label,
		Logger:  log.New(os.Stderr, log.Options{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeImage(t, c, res.ID) })
	inspect, err := c.ImageInspect(ctx, testTag)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built %s (%s, %d packages) in %s: image size %.1f MB, files %.1f MB",
		testTag, res.Architecture, len(res.Packages), time.Since(start).Round(time.Second),
		float64(inspect.Size)/1e6, float64(res.Size)/1e6)

	t.Run("configuration", func(t *testing.T) { checkConfig(t, inspect, res) })
	t.Run("dpkg audit is clean", func(t *testing.T) {
		if out := run(t, c, res.ID, "none", "dpkg --audit"); out != "" {
			t.Errorf("dpkg --audit reports:\n%s", out)
		}
	})
	t.Run("every package is installed", func(t *testing.T) {
		out := run(t, c, res.ID, "none", `dpkg-query -W -f '${db:Status-Abbrev} ${Package}\n'`)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for _, l := range lines {
			if !strings.HasPrefix(l, "ii ") {
				t.Errorf("package not fully installed: %q", l)
			}
		}
		if len(lines) != len(res.Packages) {
			t.Errorf("dpkg knows %d packages, the build resolved %d", len(lines), len(res.Packages))
		}
	})
	t.Run("slim", func(t *testing.T) { checkSlim(t, c, res.ID) })
	t.Run("apt installs xterm", func(t *testing.T) { checkAptInstall(t, c, res.ID) })
	t.Run("second build reuses the image", func(t *testing.T) {
		again, err := bootstrap.Build(ctx, c, bootstrap.Options{Tag: testTag, Labels: label})
		if err != nil {
			t.Fatal(err)
		}
		if !again.Reused || again.ID != res.ID || again.Stamp != res.Stamp {
			t.Errorf("second build = %+v, want a reuse of %s", again, res.ID)
		}
	})
	t.Run("no intermediate objects remain", func(t *testing.T) { checkNoIntermediates(t, c, label) })
}

func checkConfig(t *testing.T, inspect image.InspectResponse, res bootstrap.Result) {
	labels := inspect.Config.Labels
	if labels[bootstrap.LabelSuite] != "bookworm" || labels[bootstrap.LabelMirror] != bootstrap.DefaultMirror || labels[bootstrap.LabelStamp] != res.Stamp {
		t.Errorf("labels = %v", labels)
	}
	if _, err := time.Parse(time.RFC3339, labels[bootstrap.LabelDate]); err != nil {
		t.Errorf("date label: %v", err)
	}
	if got := strings.Join(inspect.Config.Cmd, " "); got != "bash" {
		t.Errorf("CMD = %q, want bash", got)
	}
	if inspect.Architecture != res.Architecture {
		t.Errorf("image architecture %q, build says %q", inspect.Architecture, res.Architecture)
	}
}

// checkSlim checks that only copyright files are left of the documentation,
// and that the bootstrap left nothing of its own.
func checkSlim(t *testing.T, c *client.Client, id string) {
	out := run(t, c, id, "none", `
		set -e
		ls /usr/share/doc/*/copyright | wc -l
		find /usr/share/doc -mindepth 2 ! -name copyright
		find /usr/share/man /usr/share/locale /var/lib/apt/lists /var/cache/apt /var/log ! -type d
		ls -d /mvm-bootstrap /usr/sbin/policy-rc.d /usr/sbin/start-stop-daemon.REAL 2>/dev/null || true
		readlink /bin /sbin /lib /usr/bin/sh /etc/localtime
		cat /etc/apt/sources.list /etc/dpkg/dpkg.cfg.d/excludes
	`)
	first, rest, _ := strings.Cut(out, "\n")
	if n, err := strconv.Atoi(strings.TrimSpace(first)); err != nil || n < 50 {
		t.Errorf("copyright files: %q, want at least 50", first)
	}
	wantRest := "usr/bin\nusr/sbin\nusr/lib\ndash\n/usr/share/zoneinfo/Etc/UTC\n" + wantSources + wantExcludes
	if rest != wantRest {
		t.Errorf("after the copyright count, got:\n%s\nwant:\n%s", rest, wantRest)
	}
}

// checkAptInstall installs a package from the mirror and checks that dpkg's
// excludes and apt's cleaning keep applying.
func checkAptInstall(t *testing.T, c *client.Client, id string) {
	out := run(t, c, id, "bridge", `
		set -e
		export DEBIAN_FRONTEND=noninteractive
		apt-get update >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
		apt-get install -y --no-install-recommends xterm >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
		xterm -version >/dev/null
		dpkg --audit
		find /usr/share/doc -mindepth 2 ! -name copyright
		find /usr/share/man -type f
		find /var/cache/apt -name '*.deb' -o -name '*.bin'
	`)
	if out != "" {
		t.Errorf("after installing xterm:\n%s", out)
	}
}

// run runs script with bash in a new container from the image and returns
// its output; it fails the test if the script fails.
func run(t *testing.T, c *client.Client, imageID, network, script string) string {
	t.Helper()
	out, code := testenv.RunContainer(t, c, &container.Config{Image: imageID, Cmd: []string{"bash", "-c", script}},
		&container.HostConfig{NetworkMode: container.NetworkMode(network)})
	if code != 0 {
		t.Fatalf("script exited with %d:\n%s\noutput:\n%s", code, script, out)
	}
	return out
}

// TestBuildCancelled cancels a build during its second stage and checks that
// the error says so and nothing is left behind.
func TestBuildCancelled(t *testing.T) {
	c := testenv.DockerClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// The logger's output tells when the second stage starts; a few
	// seconds later dpkg is busy in the container.
	w := &watchWriter{match: "Configuring base system", hit: func() { time.AfterFunc(5*time.Second, cancel) }}
	label := testLabel()
	_, err := bootstrap.Build(ctx, c, bootstrap.Options{
		Tag:     "mvm.local/debian:bootstrap-cancelled",
		Rebuild: true,
		Labels:  label,
		Logger:  log.New(w, log.Options{Verbosity: 1}),
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !w.seen() {
		t.Fatal("the build never reached its second stage")
	}
	checkNoIntermediates(t, c, label)
	if _, err := c.ImageInspect(context.Background(), "mvm.local/debian:bootstrap-cancelled"); err == nil {
		t.Error("a cancelled build tagged an image")
	}
}

// testLabel returns a label unique to one build, so that the checks for
// leftovers ignore the builds other processes run on the same engine.
func testLabel() map[string]string {
	return map[string]string{"bootstrap.mvm/test": fmt.Sprint(time.Now().UnixNano())}
}

// checkNoIntermediates checks that no intermediate object of the build
// labelled with label remains.
func checkNoIntermediates(t *testing.T, c *client.Client, label map[string]string) {
	t.Helper()
	ctx := context.Background()
	f := filters.NewArgs(filters.Arg("label", bootstrap.LabelStage))
	for k, v := range label {
		f.Add("label", k+"="+v)
	}
	containers, err := c.ContainerList(ctx, container.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	images, err := c.ImageList(ctx, image.ListOptions{All: true, Filters: f})
	if err != nil {
		t.Fatal(err)
	}
	if len(containers)+len(images) != 0 {
		t.Errorf("left behind: %d containers, %d images labelled %s", len(containers), len(images), bootstrap.LabelStage)
	}
}

func removeImage(t *testing.T, c *client.Client, id string) {
	_, err := c.ImageRemove(context.Background(), id, image.RemoveOptions{Force: true, PruneChildren: true})
	if err != nil {
		t.Logf("remove test image: %v", err)
	}
}

// watchWriter calls hit once when match is written to it.
type watchWriter struct {
	mu    sync.Mutex
	match string
	hit   func()
	done  bool
}

func (w *watchWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done && strings.Contains(string(p), w.match) {
		w.done = true
		w.hit()
	}
	os.Stderr.Write(p)
	return len(p), nil
}

func (w *watchWriter) seen() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.done
}
