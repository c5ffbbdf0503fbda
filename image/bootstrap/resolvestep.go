package bootstrap

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp"
	"github.com/mvm-dev/mvm/internal/log"
)

// engineArchitecture maps the engine's machine name to Debian's name.
func engineArchitecture(ctx context.Context, engine Engine) (string, error) {
	info, err := engine.Info(ctx)
	if err != nil {
		return "", fmt.Errorf("ask the Docker Engine for its architecture (is it running?): %w", err)
	}
	switch info.Architecture {
	case "x86_64", "amd64":
		return "amd64", nil
	case "aarch64", "arm64":
		return "arm64", nil
	}
	return "", fmt.Errorf("the Docker Engine runs on %q; only amd64 and arm64 are supported", info.Architecture)
}

// resolve reads the suite's verified package indexes and works out what to
// install.
func (b *builder) resolve(ctx context.Context, arch string) (*plan, error) {
	p := &plan{Suite: b.opts.Suite, Arch: arch, Pockets: b.opts.pockets()}
	err := b.step("Resolving "+b.opts.Suite+" packages", func(s *log.Step) error {
		keyring, err := b.keyring()
		if err != nil {
			return err
		}
		indexes, err := b.loadPockets(ctx, keyring, p.Pockets, arch)
		if err != nil {
			return err
		}

		lists := make([][]*Package, len(indexes))
		for i, pi := range indexes {
			lists[i] = pi.Packages
			if pi.Release.Date.After(p.Date) {
				p.Date = pi.Release.Date
			}
		}
		p.Required, p.Base, err = splitPlan(newIndex(lists...), append([]string{"apt"}, b.opts.Include...))
		if err != nil {
			return fmt.Errorf("resolve %s packages: %w", b.opts.Suite, err)
		}
		s.Update(fmt.Sprintf("%d packages", len(p.all())))
		return nil
	})
	return p, err
}

func (b *builder) keyring() (openpgp.EntityList, error) {
	if b.opts.Keyring == nil {
		return debianKeyring()
	}
	return readKeyring(bytes.NewReader(b.opts.Keyring))
}

// loadPockets loads the pockets' indexes in parallel.
func (b *builder) loadPockets(
	ctx context.Context,
	keyring openpgp.KeyRing,
	pockets []pocket,
	arch string,
) ([]*pocketIndex, error) {
	f := &fetcher{client: b.opts.HTTPClient}
	out := make([]*pocketIndex, len(pockets))
	errs := make([]error, len(pockets))
	now := time.Now()

	var wg sync.WaitGroup
	for i, pk := range pockets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = loadPocket(ctx, f, keyring, pk, arch, now)
		}()
	}
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		b.log.V(1).Infof("%s %s: %d packages, signed by %s", pockets[i].Mirror, pockets[i].Suite,
			len(out[i].Packages), out[i].Signer)
	}
	return out, nil
}
