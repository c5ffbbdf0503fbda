package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// downloader fetches .deb files into a cache directory named by their
// SHA256, so that a rebuild downloads only what changed.
type downloader struct {
	f       *fetcher
	dir     string
	workers int
	done    atomic.Int64 // bytes downloaded or found in the cache
}

// fetchAll downloads pkgs with at most d.workers downloads at a time and
// returns the path of each package's verified .deb by package name. The
// first failure cancels the other downloads.
func (d *downloader) fetchAll(ctx context.Context, pkgs []*Package) (map[string]string, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var (
		mu    sync.Mutex
		paths = map[string]string{}
		wg    sync.WaitGroup
		sem   = make(chan struct{}, d.workers)
	)
	for _, p := range pkgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()

			path, err := d.fetch(ctx, p)
			if err != nil {
				cancel(err)
				return
			}
			mu.Lock()
			paths[p.Name] = path
			mu.Unlock()
		}()
	}
	wg.Wait()

	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return paths, nil
}

// fetch returns the cached .deb of p, downloading it when it is absent.
func (d *downloader) fetch(ctx context.Context, p *Package) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", context.Cause(ctx)
	}
	want := fileRef{SHA256: p.SHA256, Size: p.Size}
	path := filepath.Join(d.dir, p.SHA256+".deb")
	if cached(path, want) {
		d.done.Add(p.Size)
		now := time.Now()
		_ = os.Chtimes(path, now, now) // marks it as used for pruning
		return path, nil
	}

	url := p.Mirror + "/" + p.Filename
	if err := d.download(ctx, url, path, want); err != nil {
		return "", fmt.Errorf("download package %s: %w", p.Name, err)
	}
	return path, nil
}

// download writes url to path through a temporary file that is renamed into
// place only once its size and checksum match.
func (d *downloader) download(ctx context.Context, url, path string, want fileRef) error {
	body, err := d.f.open(ctx, url)
	if err != nil {
		return err
	}
	defer body.Close()

	tmp, err := os.CreateTemp(d.dir, filepath.Base(path)+".*.part")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	h := sha256.New()
	counted := &countingWriter{n: &d.done}
	n, err := io.Copy(io.MultiWriter(tmp, h, counted), io.LimitReader(body, want.Size+1))
	if err != nil {
		return fmt.Errorf("fetch %s: %w", url, err)
	}
	got := fileRef{SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}
	if got != want {
		return fmt.Errorf("verify %s: %w", url, &ChecksumError{Want: want, Got: got})
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// cached reports whether path holds a file of the wanted size and checksum.
func cached(path string, want fileRef) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()

	h := sha256.New()
	n, err := io.Copy(h, f)
	return err == nil && n == want.Size && hex.EncodeToString(h.Sum(nil)) == want.SHA256
}

// countingWriter adds the bytes written to a shared progress counter.
type countingWriter struct {
	n *atomic.Int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n.Add(int64(len(p)))
	return len(p), nil
}

// pruneCache removes cached packages that no build has used for maxAge, so
// that the cache holds about one set of packages per suite.
func pruneCache(dir string, maxAge time.Duration, now time.Time) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		info, err := e.Info()
		if err == nil && now.Sub(info.ModTime()) > maxAge {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
