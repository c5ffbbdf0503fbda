package bootstrap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDownloaderCachesAndVerifies(t *testing.T) {
	t.Parallel()
	m := newTestMirror(t)
	good, bad := []byte("good deb"), []byte("evil deb")
	m.put("/debian/pool/good.deb", good)
	m.put("/debian/pool/bad.deb", bad)

	mirror := m.URL + "/debian"
	goodPkg := &Package{Name: "good", Mirror: mirror, Filename: "pool/good.deb", Size: int64(len(good)), SHA256: sha256hex(good)}
	signed := []byte("what was signed")
	badPkg := &Package{Name: "bad", Mirror: mirror, Filename: "pool/bad.deb", Size: int64(len(signed)), SHA256: sha256hex(signed)}
	dir := t.TempDir()
	newDownloader := func() *downloader {
		return &downloader{f: &fetcher{client: m.Client()}, dir: dir, workers: 2}
	}

	paths, err := newDownloader().fetchAll(context.Background(), []*Package{goodPkg})
	if err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(paths["good"]); err != nil || string(data) != string(good) {
		t.Fatalf("cached file = %q, %v", data, err)
	}

	d := newDownloader()
	if _, err := d.fetchAll(context.Background(), []*Package{goodPkg}); err != nil {
		t.Fatal(err)
	}
	if n := m.hitCount("/debian/pool/good.deb"); n != 1 {
		t.Errorf("good.deb fetched %d times, want once: the cache was not used", n)
	}
	if d.done.Load() != int64(len(good)) {
		t.Errorf("progress = %d bytes, want %d", d.done.Load(), len(good))
	}

	_, err = newDownloader().fetchAll(context.Background(), []*Package{goodPkg, badPkg})
	var ce *ChecksumError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ChecksumError", err)
	}
	mustContain(t, err, "download package bad", mirror+"/pool/bad.deb")
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*.part"))
	if len(leftovers) != 0 {
		t.Errorf("partial downloads left behind: %v", leftovers)
	}
}

func TestPruneCache(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	now := time.Now()
	for name, age := range map[string]time.Duration{"old.deb": 40 * 24 * time.Hour, "new.deb": time.Hour} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}

	pruneCache(dir, 30*24*time.Hour, now)
	if _, err := os.Stat(filepath.Join(dir, "old.deb")); !os.IsNotExist(err) {
		t.Errorf("old.deb was kept: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "new.deb")); err != nil {
		t.Errorf("new.deb was removed: %v", err)
	}
}
