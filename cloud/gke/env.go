package gke

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// CLIConfigEnv names a Terraform CLI configuration file for mvm to use in
// place of the one it writes, for a provider mirror or a network mirror.
const CLIConfigEnv = "MVM_TF_CLI_CONFIG_FILE"

// terraformEnv is the environment terraform runs with: the given one, less
// what would change how mvm's commands behave, plus mvm's settings.
//
// NOTE: terraform-exec refuses TF_VAR_*, TF_CLI_ARGS*, TF_LOG*, TF_INPUT and
// TF_IN_AUTOMATION in a custom environment, so they are dropped here.
// terraform-exec itself sets TF_IN_AUTOMATION=1 and passes -input=false to
// every command that could prompt, which is what TF_INPUT=0 would do.
// Variables come only from the generated tfvars file.
func terraformEnv(environ []string, cliConfig string) map[string]string {
	env := make(map[string]string, len(environ)+2)
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			env[k] = v
		}
	}
	env = tfexec.CleanEnv(env)

	// TF_DATA_DIR would move .terraform out of the working directory, and
	// the working directory is where mvm looks for it.
	delete(env, "TF_DATA_DIR")

	env["TF_CLI_CONFIG_FILE"] = cliConfig
	env["CHECKPOINT_DISABLE"] = "1"
	return env
}

// cliConfigFile returns the CLI configuration terraform runs with: the file
// named by MVM_TF_CLI_CONFIG_FILE, or else one that mvm writes into its cache
// so that every target shares one provider plugin cache. mvm does not use
// TF_CLI_CONFIG_FILE, which may be set for other purposes.
func cliConfigFile(getenv func(string) string, d dirs) (string, error) {
	if path := getenv(CLIConfigEnv); path != "" {
		if _, err := os.Stat(path); err != nil {
			return "", fmt.Errorf("terraform CLI configuration from %s: %w", CLIConfigEnv, err)
		}
		return path, nil
	}

	dir := filepath.Join(d.cache, "terraform")
	plugins := filepath.Join(dir, "plugins")
	if err := os.MkdirAll(plugins, 0o755); err != nil {
		return "", fmt.Errorf("create provider plugin cache: %w", err)
	}
	path := filepath.Join(dir, "terraformrc")
	if err := writeFileAtomic(path, cliConfig(plugins), 0o644); err != nil {
		return "", fmt.Errorf("write terraform CLI configuration: %w", err)
	}
	return path, nil
}

// cliConfig is mvm's own CLI configuration: a shared plugin cache, and no
// version check over the network.
func cliConfig(pluginCache string) []byte {
	return fmt.Appendf(nil, "# Written by mvm.\nplugin_cache_dir   = %q\ndisable_checkpoint = true\n",
		pluginCache)
}
