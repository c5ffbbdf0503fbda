package gke

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// writeFiles creates files (and their directories) under dir.
func writeFiles(t *testing.T, dir string, names ...string) {
	t.Helper()

	for _, name := range names {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte("# "+name+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// listDir returns dir's entries, links marked with " -> target".
func listDir(t *testing.T, dir string) []string {
	t.Helper()

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		name := e.Name()
		if target, err := os.Readlink(filepath.Join(dir, name)); err == nil {
			name += " -> " + target
		}
		names = append(names, name)
	}
	return names
}

func TestLayoutWorkDir(t *testing.T) {
	t.Parallel()
	module := t.TempDir()
	writeFiles(t, module, "main.tf", "outputs.tf", "startup.sh.tftpl", "modules/net/main.tf",
		"tests/main.tftest.hcl", ".terraform/providers/x", ".terraform.lock.hcl", "terraform.tfstate",
		"terraform.tfstate.backup", "old.tfplan")
	work := filepath.Join(t.TempDir(), "gke", "mvm-example", "europe-west1", "mvm")
	target := Target{Project: "mvm-example", Region: "europe-west1", Name: "mvm"}

	if err := layoutWorkDir(work, module, target); err != nil {
		t.Fatal(err)
	}
	// The state and the lock file of an earlier run must survive a new layout.
	writeFiles(t, work, localStateFile, ".terraform.lock.hcl")
	os.Remove(filepath.Join(module, "outputs.tf"))
	if err := layoutWorkDir(work, module, target); err != nil {
		t.Fatal(err)
	}

	want := []string{
		".terraform.lock.hcl",
		"main.tf -> " + filepath.Join(module, "main.tf"),
		"modules -> " + filepath.Join(module, "modules"),
		"mvm.auto.tfvars.json",
		"mvm_backend_override.tf.json",
		"startup.sh.tftpl -> " + filepath.Join(module, "startup.sh.tftpl"),
		"terraform.tfstate",
	}
	if diff := cmp.Diff(want, listDir(t, work)); diff != "" {
		t.Errorf("working directory (-want +got):\n%s", diff)
	}
	if info, err := os.Stat(work); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("working directory mode = %v, %v; want 0700", info.Mode().Perm(), err)
	}
}

func TestLayoutWorkDirRefusesGeneratedNames(t *testing.T) {
	t.Parallel()

	for _, name := range generated {
		if !linkable(name) {
			continue // never linked, so never in the way
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			module := t.TempDir()
			writeFiles(t, module, "main.tf", name)
			err := layoutWorkDir(t.TempDir(), module, Target{})
			want := "module " + module + " has a file named " + name + ", which mvm writes itself"
			if err == nil || err.Error() != want {
				t.Errorf("layoutWorkDir() error = %v, want %q", err, want)
			}
		})
	}
}

func TestUserModule(t *testing.T) {
	t.Parallel()
	withTF, withJSON, empty := t.TempDir(), t.TempDir(), t.TempDir()
	writeFiles(t, withTF, "main.tf")
	writeFiles(t, withJSON, "main.tf.json")
	missing := filepath.Join(empty, "missing")

	tests := []struct {
		dir     string
		wantErr string
	}{
		{dir: withTF},
		{dir: withJSON},
		{dir: empty, wantErr: "module directory " + empty + " has no .tf files"},
		{dir: missing, wantErr: "module directory: stat " + missing + ": no such file or directory"},
	}
	for _, tt := range tests {
		m, err := userModule(tt.dir)
		switch {
		case tt.wantErr != "" && (err == nil || err.Error() != tt.wantErr):
			t.Errorf("userModule(%s) error = %v, want %q", tt.dir, err, tt.wantErr)
		case tt.wantErr == "" && (err != nil || m.dir != tt.dir || m.id != tt.dir):
			t.Errorf("userModule(%s) = %+v, %v", tt.dir, m, err)
		}
	}
}

func TestEmbeddedModuleIsUnpackedByHash(t *testing.T) {
	t.Parallel()
	d := dirs{cache: t.TempDir()}

	m, err := resolveModule(Target{}, d)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(m.dir) != filepath.Join(d.cache, "terraform") || !strings.HasPrefix(m.id, "embedded ") {
		t.Errorf("resolveModule() = %+v, want a directory under %s named by hash", m, d.cache)
	}
	if names := listDir(t, m.dir); !slices.Contains(names, "cluster.tf") {
		t.Errorf("unpacked module has %v", names)
	}
}

func TestDirs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		env       map[string]string
		wantState string
		wantErr   string
	}{
		{name: "XDG_STATE_HOME", env: map[string]string{"XDG_STATE_HOME": "/xdg", "HOME": "/home/u"}, wantState: "/xdg/mvm"},
		{name: "relative XDG_STATE_HOME ignored", env: map[string]string{"XDG_STATE_HOME": "xdg", "HOME": "/home/u"}, wantState: "/home/u/.local/state/mvm"},
		{name: "HOME", env: map[string]string{"HOME": "/home/u"}, wantState: "/home/u/.local/state/mvm"},
		{name: "nothing", env: map[string]string{}, wantErr: "find state directory: neither XDG_STATE_HOME nor HOME is set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var environ []string
			for k, v := range tt.env {
				environ = append(environ, k+"="+v)
			}
			d, err := defaultDirs(Options{CacheDir: "/cache", Environ: environ})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("defaultDirs() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || d.state != tt.wantState {
				t.Fatalf("defaultDirs() = %+v, %v; want state %s", d, err, tt.wantState)
			}
			target := Target{Project: "mvm-example", Region: "europe-west1", Name: "mvm"}
			if got, want := d.workDir(target), tt.wantState+"/gke/mvm-example/europe-west1/mvm"; got != want {
				t.Errorf("workDir() = %s, want %s", got, want)
			}
		})
	}
}
