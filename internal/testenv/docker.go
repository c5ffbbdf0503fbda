package testenv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/docker/docker/client"

	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/engine"
	"github.com/mvm-dev/mvm/internal/log"
)

// DockerClient connects to the engine, or fails the test with the reason.
func DockerClient(t testing.TB) *client.Client {
	t.Helper()
	Require(t, Docker)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatalf("MVM_E2E enables docker, but: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// DesktopImage builds (or finds) the desktop image of a flavor, making the
// Debian base from the mirror if the engine has none. Test binaries of
// several packages may run at once; a lock file keeps them from building the
// same image twice at the same time.
func DesktopImage(t testing.TB, c *client.Client, f image.Flavor) image.Result {
	t.Helper()
	unlock := lock(t, "image")
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	res, err := image.Build(ctx, c, image.BuildOptions{
		Flavor: f,
		Logger: log.New(testWriter{t}, log.Options{}),
	})
	if err != nil {
		t.Fatalf("build the %s desktop image: %v", f, err)
	}
	return res
}

// lock takes an exclusive lock shared by every test process on the machine.
func lock(t testing.TB, name string) func() {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "mvm-testenv")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, name+".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}
}

// testWriter shows a logger's lines in the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
