package kind

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	dockerimage "github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/exec"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/state"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/kindtest"
	"github.com/mvm-dev/mvm/manifests"
)

// benchEnv is a Kind cluster with the desktop ports, the Docker Engine and
// the slim desktop image.
type benchEnv struct {
	cluster *Cluster
	engine  *client.Client
	image   image.Result
	store   state.Store
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	existed := kindtest.Lock(b)
	c := testenv.DockerClient(b)
	img := testenv.DesktopImage(b, c, image.Slim)
	cl, err := New(kindtest.Name(), log.Discard())
	if err != nil {
		b.Fatal(err)
	}
	env := &benchEnv{cluster: cl, engine: c, image: img, store: state.Store{Dir: b.TempDir()}}
	if !existed {
		b.Cleanup(func() { _ = cl.Delete() })
	}
	return env
}

func (env *benchEnv) up(b *testing.B, name, ref, id string) *UpResult {
	b.Helper()
	res, err := Up(context.Background(), UpOptions{
		Cluster: env.cluster, NodeImage: kindtest.NodeImage, Engine: env.engine,
		Desktop: manifests.Params{
			Name: name, Image: ref,
			CPU: manifests.Resources{Request: resource.MustParse("250m"), Limit: resource.MustParse("1")},
		},
		ImageID: id, Store: env.store, Logger: log.Discard(),
	})
	if err != nil {
		b.Fatal(err)
	}
	return res
}

func (env *benchEnv) remove(b *testing.B, name string) {
	b.Helper()
	if _, err := Down(context.Background(), DownOptions{
		Cluster: env.cluster, Desktop: name, Home: true, Store: env.store, Logger: log.Discard(),
	}); err != nil {
		b.Error(err)
	}
}

// BenchmarkUp times mvm kind's work on a cluster that exists, from the
// cluster check to the first frame: with the image the desktop already
// runs (target ≤ 2 s), and with a new build of it, which is loaded into the
// node and rolled out.
func BenchmarkUp(b *testing.B) {
	testenv.Require(b, testenv.Kind)
	env := newBenchEnv(b)
	const name = "bench"
	env.up(b, name, env.image.Ref, env.image.ID)
	b.Cleanup(func() { env.remove(b, name) })

	b.Run("unchanged", func(b *testing.B) {
		var total time.Duration
		for b.Loop() {
			res := env.up(b, name, env.image.Ref, env.image.ID)
			if res.Action != "reused" {
				b.Fatalf("action %s, want reused", res.Action)
			}
			total += res.Timer.Total()
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s-to-first-frame")
	})

	b.Run("changed", func(b *testing.B) {
		var total, load time.Duration
		i := 0
		for b.Loop() {
			b.StopTimer()
			ref, id := env.rebuilt(b, i)
			i++
			b.StartTimer()
			res := env.up(b, name, ref, id)
			if res.Action != "updated" || !res.Loaded {
				b.Fatalf("action %s, loaded %t; want an update with a load", res.Action, res.Loaded)
			}
			total += res.Timer.Total()
			load += phase(res, "load")
		}
		b.ReportMetric(total.Seconds()/float64(b.N), "s-to-first-frame")
		b.ReportMetric(load.Seconds()/float64(b.N), "s-load")
	})
}

func phase(res *UpResult, name string) time.Duration {
	for _, p := range res.Timer.Phases() {
		if p.Name == name {
			return p.Duration.Duration()
		}
	}
	return 0
}

// rebuilt makes a new image from the slim one that differs only in a label,
// as a rebuild after a small change would: same layers, new image ID.
func (env *benchEnv) rebuilt(b *testing.B, i int) (ref, id string) {
	b.Helper()
	ctx := context.Background()
	ref = fmt.Sprintf("mvm.local/desktop:bench-%d-%d", time.Now().Unix(), i)
	ct, err := env.engine.ContainerCreate(ctx, &container.Config{Image: env.image.Ref}, nil, nil, nil, "")
	if err != nil {
		b.Fatal(err)
	}
	defer env.engine.ContainerRemove(ctx, ct.ID, container.RemoveOptions{Force: true})
	resp, err := env.engine.ContainerCommit(ctx, ct.ID, container.CommitOptions{
		Reference: ref,
		Config:    &container.Config{Labels: map[string]string{"mvm.bench": ref}},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		_, _ = env.engine.ImageRemove(context.Background(), ref, dockerimage.RemoveOptions{Force: true})
		env.nodeRemove(ref)
	})
	return ref, resp.ID
}

// nodeRemove deletes an image from the node's containerd.
func (env *benchEnv) nodeRemove(ref string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, _ = exec.Run(ctx, exec.Cmd{Args: []string{
		"docker", "exec", env.cluster.node(), "ctr", "-n", "k8s.io", "images", "rm", ref,
	}})
}

// BenchmarkLoad compares mvm's image load (the Engine API's export streamed
// into the node's containerd, through kind's node API) with the plain
// shell pipeline `docker save | docker exec -i NODE ctr images import -`,
// for the same image that the node does not hold yet.
func BenchmarkLoad(b *testing.B) {
	testenv.Require(b, testenv.Kind)
	env := newBenchEnv(b)
	if _, err := env.cluster.HostPorts(context.Background(), env.engine); err != nil {
		env.up(b, "bench-load", env.image.Ref, env.image.ID) // creates the cluster
		b.Cleanup(func() { env.remove(b, "bench-load") })
	}
	ref := env.image.Ref

	b.Run("mvm", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			env.nodeRemove(ref)
			b.StartTimer()
			res, err := env.cluster.LoadImage(context.Background(), env.engine, ref, env.image.ID)
			if err != nil || len(res.Loaded) != 1 {
				b.Fatalf("LoadImage: %+v, %v", res, err)
			}
		}
	})

	b.Run("docker-save-ctr-import", func(b *testing.B) {
		pipe := fmt.Sprintf("docker save %s | docker exec -i %s ctr -n k8s.io images import -",
			ref, env.cluster.node())
		for b.Loop() {
			b.StopTimer()
			env.nodeRemove(ref)
			b.StartTimer()
			if out, err := exec.Run(context.Background(), exec.Cmd{Args: []string{"sh", "-c", pipe}}); err != nil {
				b.Fatalf("%s: %v\n%s", pipe, err, out)
			}
		}
	})

	// Leave the node as the tests found it: holding the image.
	if _, err := env.cluster.LoadImage(context.Background(), env.engine, ref, env.image.ID); err != nil {
		b.Error(err)
	}
}
