// Package gke provisions the infrastructure that mvm promotes a desktop to: a
// GKE Autopilot cluster, an Artifact Registry repository and, with a domain,
// an address for the HTTPS Ingress. It drives Terraform through
// terraform-exec with the module embedded in mvm (package
// github.com/mvm-dev/mvm/terraform) or one the user gives.
//
// [Prepare] checks the prerequisites and lays out the working directory of
// one target (project, region, name); [Infra] then runs terraform's steps:
// Init, Plan (a saved plan, summarised as a [Summary]), Apply of that plan,
// Outputs, and Destroy.
//
// State is kept safe in three ways. Local state lives in the user's state
// directory, never in a cache or temporary directory; with a bucket it lives
// in Cloud Storage. A failed step leaves state as terraform wrote it, so a
// rerun continues where it stopped. And an interrupted step (Ctrl-C) sends
// terraform one interrupt and waits for it to finish the operations under
// way and save its state: terraform is never killed in the middle of an
// apply.
package gke
