package bench

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"
	"github.com/docker/go-connections/nat"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/image/bootstrap"
	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/local/docker"
)

// stack is one desktop implementation under test.
type stack struct {
	name  string
	image string
	// create makes a stopped container and returns its ID and the token
	// its clients present ("" for none).
	create func(ctx context.Context, c *client.Client, name string) (string, string, error)
}

// figures are what the benchmark reports for one stack.
type figures struct {
	starts   []time.Duration
	idleMiB  float64
	imageMB  float64
	p50, p95 time.Duration
}

func BenchmarkDesktop(b *testing.B) {
	c := testenv.DockerClient(b)
	slim := testenv.DesktopImage(b, c, image.Slim)
	full := testenv.DesktopImage(b, c, image.Full)
	base, err := c.ImageInspect(context.Background(), slim.Ref)
	if err != nil {
		b.Fatal(err)
	}
	classic, err := buildBaseline(context.Background(), c, baseOf(b, c, base.Config.Labels))
	if err != nil {
		b.Fatal(err)
	}

	// The runtime volume is made once per image, like the image itself, so
	// it is not part of a start.
	if _, err := docker.PrepareRuntime(context.Background(), c, slim.ID, string(image.Slim)); err != nil {
		b.Fatal(err)
	}

	n := starts()
	mvm := measure(b, c, mvmStack(slim.Ref, slim.ID), n)
	old := measure(b, c, classicStack(classic), n)
	fullMB := imageMB(b, c, full.Ref)

	b.ReportMetric(mvm.p50.Seconds(), "mvm-p50-s")
	b.ReportMetric(mvm.p95.Seconds(), "mvm-p95-s")
	b.ReportMetric(old.p50.Seconds(), "classic-p50-s")
	b.ReportMetric(old.p95.Seconds(), "classic-p95-s")
	b.ReportMetric(old.p50.Seconds()/mvm.p50.Seconds(), "x-faster-p50")
	b.ReportMetric(mvm.idleMiB, "mvm-idle-MiB")
	b.ReportMetric(old.idleMiB, "classic-idle-MiB")
	b.ReportMetric(mvm.imageMB, "slim-MB")
	b.ReportMetric(fullMB, "full-MB")
	b.ReportMetric(old.imageMB, "classic-MB")
	// The table goes to stdout: the testing package cuts long benchmark
	// logs short.
	fmt.Println(table(n, mvm, old, fullMB))
}

func starts() int {
	if n, err := strconv.Atoi(os.Getenv("MVM_BENCH_STARTS")); err == nil && n > 0 {
		return n
	}
	return 12
}

// baseOf is the base the desktop image was built on, so that the classic
// stack is built on the same one. Images built before they were labelled
// with their base get the base mvm would pick.
func baseOf(b *testing.B, c *client.Client, labels map[string]string) string {
	if ref := labels[image.LabelBase]; ref != "" {
		return ref
	}
	for _, ref := range []string{image.DefaultBase, bootstrap.DefaultTag} {
		if _, err := c.ImageInspect(context.Background(), ref); err == nil {
			return ref
		}
	}
	b.Fatal("the desktop image's base is not on this engine: run mvm build")
	return ""
}

func mvmStack(ref, id string) stack {
	return stack{name: "mvm", image: ref, create: func(ctx context.Context, c *client.Client, name string) (string, string, error) {
		token, err := desktop.NewToken()
		if err != nil {
			return "", "", err
		}
		cid, _, err := docker.Create(ctx, c, docker.Spec{
			Name: name, Image: ref, Flavor: "slim", Resolution: agent.DefaultResolution,
			TokenHash: agent.HashToken(token), Memory: desktop.DefaultMemory, CPUs: 1,
			Pids: desktop.DefaultPids, ShmSize: desktop.DefaultShm, RuntimeOf: id,
		})
		return cid, token, err
	}}
}

func classicStack(ref string) stack {
	port := nat.Port("6080/tcp")
	return stack{name: "classic", image: ref, create: func(ctx context.Context, c *client.Client, name string) (string, string, error) {
		pids := int64(desktop.DefaultPids)
		resp, err := c.ContainerCreate(ctx,
			&container.Config{Image: ref, ExposedPorts: nat.PortSet{port: {}}},
			&container.HostConfig{
				PortBindings: nat.PortMap{port: {{HostIP: "127.0.0.1"}}},
				Resources:    container.Resources{Memory: desktop.DefaultMemory, NanoCPUs: 1e9, PidsLimit: &pids},
				ShmSize:      desktop.DefaultShm,
			}, nil, nil, docker.ContainerName(name))
		return resp.ID, "", err
	}}
}

// measure starts the stack n times from a created container to its first
// frame, then once more to read its memory after 20 idle seconds.
func measure(b *testing.B, c *client.Client, s stack, n int) figures {
	var f figures
	for i := 0; i < n; i++ {
		d, _ := coldStart(b, c, s, fmt.Sprintf("bench-%s-%d", s.name, i), false)
		f.starts = append(f.starts, d)
	}
	sorted := append([]time.Duration(nil), f.starts...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	f.p50, f.p95 = percentile(sorted, 50), percentile(sorted, 95)

	_, f.idleMiB = coldStart(b, c, s, "bench-"+s.name+"-idle", true)
	f.imageMB = imageMB(b, c, s.image)
	return f
}

// coldStart times create → start → first frame through the bridge, with the
// same probe mvm uses, and removes the container again.
func coldStart(b *testing.B, c *client.Client, s stack, name string, idle bool) (time.Duration, float64) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	defer func() {
		_ = c.ContainerRemove(context.Background(), docker.ContainerName(name), container.RemoveOptions{Force: true, RemoveVolumes: true})
	}()

	began := time.Now()
	id, token, err := s.create(ctx, c, name)
	if err != nil {
		b.Fatalf("%s: create: %v", s.name, err)
	}
	if err := c.ContainerStart(ctx, id, container.StartOptions{}); err != nil {
		b.Fatalf("%s: start: %v", s.name, err)
	}
	url := publishedURL(b, c, id)
	for {
		if _, err := probe.FirstFrame(ctx, url, token); err == nil {
			break
		} else if ctx.Err() != nil {
			b.Fatalf("%s: no first frame: %v", s.name, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(began)
	if !idle {
		return took, 0
	}

	time.Sleep(20 * time.Second)
	u, err := docker.Sample(ctx, c, id)
	if err != nil {
		b.Fatal(err)
	}
	return took, float64(u.Memory) / (1 << 20)
}

func publishedURL(b *testing.B, c *client.Client, id string) string {
	ins, err := c.ContainerInspect(context.Background(), id)
	if err != nil {
		b.Fatal(err)
	}
	for _, bind := range ins.NetworkSettings.Ports["6080/tcp"] {
		return "http://127.0.0.1:" + bind.HostPort
	}
	b.Fatalf("container %s publishes no port", id[:12])
	return ""
}

func imageMB(b *testing.B, c *client.Client, ref string) float64 {
	img, err := c.ImageInspect(context.Background(), ref)
	if err != nil {
		b.Fatal(err)
	}
	return float64(img.Size) / 1e6
}

// percentile of sorted durations, nearest rank.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := (p*len(sorted) + 99) / 100
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

func table(n int, mvm, old figures, fullMB float64) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d cold starts each, create → first framebuffer through the WebSocket bridge\n", n)
	fmt.Fprintf(&sb, "load average at the end: %s\n", loadAverage())
	fmt.Fprintf(&sb, "%-28s %10s %10s %8s\n", "", "mvm", "classic", "ratio")
	row := func(name string, a, b float64, unit string) {
		fmt.Fprintf(&sb, "%-28s %9.3f%s %9.3f%s %7.1fx\n", name, a, unit, b, unit, b/a)
	}
	row("start p50", mvm.p50.Seconds(), old.p50.Seconds(), "s")
	row("start p95", mvm.p95.Seconds(), old.p95.Seconds(), "s")
	row("idle memory after 20 s", mvm.idleMiB, old.idleMiB, "M")
	row("image size (slim / classic)", mvm.imageMB, old.imageMB, "M")
	fmt.Fprintf(&sb, "%-28s %9.0fM\n", "image size (full)", fullMB)
	fmt.Fprintf(&sb, "mvm starts: %v\nclassic starts: %v\n", round(mvm.starts), round(old.starts))
	return sb.String()
}

// loadAverage is the machine's 1, 5 and 15 minute load, which start times
// depend on; a figure without it cannot be compared.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func round(ds []time.Duration) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprintf("%.3f", d.Seconds())
	}
	return out
}
