package gke

import (
	"encoding/json"
	"path"
)

// backendFile is the generated override file that configures the backend.
//
// An override file, not -backend-config: -backend-config can only fill in a
// backend block whose type the configuration already declares, and here the
// type itself depends on the target (local, or gcs with a bucket). An
// override file sets the type and its settings whatever the module declares,
// and it stays in the working directory, so that a person can run terraform
// there by hand and get the same backend.
const backendFile = "mvm_backend_override.tf.json"

// localStateFile is the local backend's state, relative to the working
// directory, which is in the user's state directory.
const localStateFile = "terraform.tfstate"

// backendConfig returns the override file's content: the local backend in
// the working directory, or the gcs backend in the target's bucket under a
// prefix made of the project, region and name.
func backendConfig(t Target) []byte {
	backend := map[string]any{"local": map[string]string{"path": localStateFile}}
	if t.StateBucket != "" {
		backend = map[string]any{"gcs": map[string]string{
			"bucket": t.StateBucket,
			"prefix": statePrefix(t),
		}}
	}
	doc := map[string]any{"terraform": map[string]any{"backend": backend}}
	data, _ := json.MarshalIndent(doc, "", "  ") // maps of strings always encode
	return append(data, '\n')
}

// statePrefix is where in the bucket the target's state lives.
func statePrefix(t Target) string {
	return path.Join("mvm", "gke", t.Project, t.Region, t.Name)
}
