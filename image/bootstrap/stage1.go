package bootstrap

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"time"
)

// writeStage1 writes the first-stage root filesystem as a tar stream: merged
// /usr, the unpacked files of the required packages, a dpkg database that
// knows only dpkg, the configuration files, and a staging directory with
// every .deb and the second-stage script.
func writeStage1(ctx context.Context, w io.Writer, p *plan, files []imageFile, debs map[string]string) error {
	mtime := p.Date
	if mtime.IsZero() {
		mtime = time.Now()
	}
	rw := newRootfsWriter(w, newUsrMerge(p.Arch), mtime)
	if err := rw.layout(); err != nil {
		return err
	}

	// TODO: decompress the next packages while one is being written; Go's
	// xz decoder makes this loop the longest part of the first stage
	// (about 10 s for bookworm on two cores).
	for _, pkg := range p.Required {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := unpackDeb(rw, debs[pkg.Name]); err != nil {
			return fmt.Errorf("unpack package %s: %w", pkg.Name, err)
		}
	}
	// dash makes /bin/sh in its maintainer scripts, which need /bin/sh.
	if rw.seen["usr/bin/sh"] == 0 {
		if err := rw.symlink("usr/bin/sh", "dash"); err != nil {
			return err
		}
	}

	if err := writeDpkgAdmin(rw, p); err != nil {
		return err
	}
	for _, f := range files {
		if err := rw.file(f.Path, f.Mode, []byte(f.Data)); err != nil {
			return err
		}
	}
	if err := writeStaging(ctx, rw, p, debs); err != nil {
		return err
	}
	return rw.Close()
}

func unpackDeb(rw *rootfsWriter, debPath string) error {
	f, err := os.Open(debPath)
	if err != nil {
		return err
	}
	defer f.Close()
	return readDataTar(f, rw.addPackage)
}

// writeDpkgAdmin writes dpkg's database directory. Its status file claims
// dpkg is installed, as debootstrap's does, so that the packages installed
// before dpkg itself see their pre-dependency on it met.
func writeDpkgAdmin(rw *rootfsWriter, p *plan) error {
	admin := "var/lib/dpkg"
	for _, d := range []string{"", "/info", "/updates", "/triggers", "/alternatives", "/parts"} {
		if err := rw.dir(admin+d, 0o755); err != nil {
			return err
		}
	}

	status := ""
	for _, pkg := range p.Required {
		if pkg.Name == "dpkg" {
			status = fmt.Sprintf("Package: dpkg\nVersion: %s\nArchitecture: %s\nMaintainer: unknown\n"+
				"Status: install ok installed\nDescription: placeholder until dpkg itself is installed\n\n",
				pkg.Version, pkg.Architecture)
		}
	}
	for _, f := range [][2]string{{"status", status}, {"available", ""}, {"info/dpkg.list", ""}} {
		if err := rw.file(path.Join(admin, f[0]), 0o644, []byte(f[1])); err != nil {
			return err
		}
	}
	return nil
}

// writeStaging adds the .debs and the second-stage script.
func writeStaging(ctx context.Context, rw *rootfsWriter, p *plan, debs map[string]string) error {
	for _, pkg := range p.all() {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := copyDeb(rw, stagingDir+"/debs/"+pkg.Name+".deb", debs[pkg.Name]); err != nil {
			return fmt.Errorf("stage package %s: %w", pkg.Name, err)
		}
	}
	return rw.file(stagingDir+"/stage2.sh", 0o755, []byte(renderStage2(p)))
}

func copyDeb(rw *rootfsWriter, name, src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()

	info, err := f.Stat()
	if err != nil {
		return err
	}
	return rw.copyFile(name, 0o644, info.Size(), f)
}
