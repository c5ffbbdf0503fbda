package gke

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTerraformEnv(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		environ []string
		want    map[string]string
	}{
		{
			name:    "adds mvm's settings",
			environ: []string{"PATH=/usr/bin", "HOME=/home/u", "GOOGLE_OAUTH_ACCESS_TOKEN=t"},
			want: map[string]string{
				"PATH": "/usr/bin", "HOME": "/home/u", "GOOGLE_OAUTH_ACCESS_TOKEN": "t",
				"TF_CLI_CONFIG_FILE": "/cache/terraformrc", "CHECKPOINT_DISABLE": "1",
			},
		},
		{
			name: "replaces the machine's CLI configuration and checkpoint setting",
			environ: []string{
				"TF_CLI_CONFIG_FILE=/root/.terraformrc", "CHECKPOINT_DISABLE=",
				"HTTPS_PROXY=http://127.0.0.1:1",
			},
			want: map[string]string{
				"HTTPS_PROXY":        "http://127.0.0.1:1",
				"TF_CLI_CONFIG_FILE": "/cache/terraformrc", "CHECKPOINT_DISABLE": "1",
			},
		},
		{
			name: "drops what would change mvm's commands",
			environ: []string{
				"TF_VAR_region=us-east1", "TF_CLI_ARGS=-parallelism=1", "TF_CLI_ARGS_apply=-refresh=false",
				"TF_DATA_DIR=/elsewhere", "TF_WORKSPACE=other", "TF_LOG=TRACE", "TF_INPUT=1",
				"TF_IN_AUTOMATION=", "TF_PLUGIN_CACHE_DIR=/plugins",
			},
			want: map[string]string{
				"TF_PLUGIN_CACHE_DIR": "/plugins",
				"TF_CLI_CONFIG_FILE":  "/cache/terraformrc", "CHECKPOINT_DISABLE": "1",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := terraformEnv(tt.environ, "/cache/terraformrc")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("terraformEnv() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCLIConfigFile(t *testing.T) {
	t.Parallel()
	mirror := filepath.Join(t.TempDir(), "terraformrc")
	if err := os.WriteFile(mirror, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    string // "" means mvm's own file in the cache
		wantErr string
	}{
		{name: "mvm's own"},
		{name: "the machine's TF_CLI_CONFIG_FILE is not used", env: map[string]string{"TF_CLI_CONFIG_FILE": mirror}},
		{name: "MVM_TF_CLI_CONFIG_FILE", env: map[string]string{CLIConfigEnv: mirror}, want: mirror},
		{
			name:    "MVM_TF_CLI_CONFIG_FILE missing",
			env:     map[string]string{CLIConfigEnv: "/nonexistent/terraformrc"},
			wantErr: "terraform CLI configuration from MVM_TF_CLI_CONFIG_FILE: stat /nonexistent/terraformrc: no such file or directory",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d := dirs{cache: t.TempDir()}
			got, err := cliConfigFile(func(k string) string { return tt.env[k] }, d)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("cliConfigFile() error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != "" {
				if got != tt.want {
					t.Errorf("cliConfigFile() = %q, want %q", got, tt.want)
				}
				return
			}
			checkOwnConfig(t, got, d)
		})
	}
}

// checkOwnConfig checks mvm's generated CLI configuration: a plugin cache
// that exists, and no version check.
func checkOwnConfig(t *testing.T, path string, d dirs) {
	t.Helper()

	if want := filepath.Join(d.cache, "terraform", "terraformrc"); path != want {
		t.Errorf("cliConfigFile() = %q, want %q", path, want)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	plugins := filepath.Join(d.cache, "terraform", "plugins")
	for _, want := range []string{`plugin_cache_dir   = "` + plugins + `"`, "disable_checkpoint = true"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %q:\n%s", path, want, data)
		}
	}
	if _, err := os.Stat(plugins); err != nil {
		t.Error(err)
	}
}
