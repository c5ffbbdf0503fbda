package gke

import (
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hc-install/product"
	"github.com/hashicorp/hc-install/releases"
)

// installVersion is the terraform that mvm installs when none is on PATH:
// the version mvm is tested with.
const installVersion = "1.11.4"

// minVersion is the oldest terraform mvm works with.
var minVersion = version.Must(version.NewVersion("1.5.0"))

// installTerraform returns the terraform that an earlier run installed into
// dir, or downloads installVersion from HashiCorp's release site into dir
// (hc-install checks its signature and checksum).
func installTerraform(ctx context.Context, dir string) (string, error) {
	path := filepath.Join(dir, product.Terraform.BinaryName())
	if info, err := os.Stat(path); err == nil && info.Mode()&0o111 != 0 {
		return path, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}

	release := &releases.ExactVersion{
		Product:    product.Terraform,
		Version:    version.Must(version.NewVersion(installVersion)),
		InstallDir: dir,
		Timeout:    5 * time.Minute,
	}
	return release.Install(ctx)
}
