package image

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"testing"
)

func TestBuildContextIsDeterministic(t *testing.T) {
	a, err := newBuildContext([]byte("agent"), "base@sha256:1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := newBuildContext([]byte("agent"), "base@sha256:1")
	if err != nil {
		t.Fatal(err)
	}
	if a.hash != b.hash || !bytes.Equal(a.tar, b.tar) {
		t.Fatal("two contexts of the same inputs differ; an unchanged build would not be a no-op")
	}

	for name, other := range map[string][]any{
		"agent": {[]byte("agent2"), "base@sha256:1"},
		"base":  {[]byte("agent"), "base@sha256:2"},
	} {
		c, err := newBuildContext(other[0].([]byte), other[1].(string))
		if err != nil {
			t.Fatal(err)
		}
		if c.hash == a.hash {
			t.Errorf("a different %s gives the same content hash", name)
		}
	}
}

func TestBuildContextHoldsTheDockerfileAndAgent(t *testing.T) {
	c, err := newBuildContext([]byte("agent"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int64{}
	tr := tar.NewReader(bytes.NewReader(c.tar))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		seen[h.Name] = h.Mode
	}
	for _, want := range []string{"Dockerfile", agentPath, "rootfs/usr/local/libexec/mvm-autostart"} {
		if _, ok := seen[want]; !ok {
			t.Errorf("context lacks %s; it has %v", want, seen)
		}
	}
	if seen[agentPath]&0o111 == 0 || seen["rootfs/usr/local/libexec/mvm-autostart"]&0o111 == 0 {
		t.Error("the agent or the session script is not executable in the context")
	}
}
