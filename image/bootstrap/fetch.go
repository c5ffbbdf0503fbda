package bootstrap

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
)

// fetcher downloads files from Debian mirrors.
type fetcher struct {
	client *http.Client
}

// open starts a GET of url and returns its body. Errors say which URL failed
// and what the user can do about it.
func (f *fetcher) open(ctx context.Context, url string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}

	resp, err := f.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("fetch %s (is the mirror reachable? choose another with --mirror): %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("fetch %s: %s (check the suite and mirror, or choose another with --mirror)",
			url, resp.Status)
	}
	return resp.Body, nil
}

// getVerified downloads url into memory and checks it against want. It reads
// at most want.Size bytes, so a hostile mirror cannot exhaust memory.
func (f *fetcher) getVerified(ctx context.Context, url string, want fileRef) ([]byte, error) {
	body, err := f.open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer body.Close()

	data, err := io.ReadAll(io.LimitReader(body, want.Size+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if err := checkSum(data, want); err != nil {
		return nil, fmt.Errorf("verify %s: %w", url, err)
	}
	return data, nil
}

// getLimited downloads url into memory, refusing more than limit bytes.
func (f *fetcher) getLimited(ctx context.Context, url string, limit int64) ([]byte, error) {
	body, err := f.open(ctx, url)
	if err != nil {
		return nil, err
	}
	defer body.Close()

	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("fetch %s: larger than %d bytes", url, limit)
	}
	return data, nil
}

// ChecksumError reports a file whose size or SHA256 differs from what the
// signed index promised: a broken download or a tampered mirror.
type ChecksumError struct {
	Want, Got fileRef
}

// Error says what was expected and what arrived.
func (e *ChecksumError) Error() string {
	return fmt.Sprintf("checksum mismatch: want %d bytes with SHA256 %s, got %d bytes with SHA256 %s"+
		" (a broken download or a tampered mirror; try again or choose another with --mirror)",
		e.Want.Size, e.Want.SHA256, e.Got.Size, e.Got.SHA256)
}

func checkSum(data []byte, want fileRef) error {
	sum := sha256.Sum256(data)
	got := fileRef{SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}
	if got != want {
		return &ChecksumError{Want: want, Got: got}
	}
	return nil
}
