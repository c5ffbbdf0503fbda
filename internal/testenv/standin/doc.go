// Package standin stands in for Google Cloud in end-to-end tests of
// `mvm promote gke`, on one machine and on loopback: a Kind cluster for the
// GKE cluster (its API server, CA certificate and a bearer token, the same
// three things GKE's outputs and a Google access token give mvm), a real
// registry on 127.0.0.1 for Artifact Registry, and a Terraform module,
// module/, with the same variables and outputs as mvm's GKE module, whose
// resources pass those values through.
package standin

import "github.com/mvm-dev/mvm/internal/testenv"

// ModuleDir is the stand-in Terraform module.
func ModuleDir() string {
	return testenv.Path("standin", "module")
}
