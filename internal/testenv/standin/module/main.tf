# A stand-in for the GKE module (terraform/ at the top of the repository) for
# end-to-end tests of mvm's promote flow on one machine: it takes the endpoint
# and CA of a real local Kubernetes API server and the URL of a real registry
# on 127.0.0.1, and passes them through to the same outputs as the GKE module.
# Its resources are terraform_data, built into terraform, so that plan, apply
# and destroy make real changes to real state while no provider is installed.

terraform {
  required_version = ">= 1.5.0"
}

# Stands in for the GKE cluster. Its input is what a new cluster would be
# created for, so changing the endpoint replaces it.
resource "terraform_data" "cluster" {
  input = {
    name     = var.name
    location = var.region
    endpoint = var.cluster_endpoint
    ca       = var.cluster_ca_certificate
  }

  # Lets a test make creating the cluster slow or fail. The hook is not part
  # of the input, so changing it replaces nothing.
  provisioner "local-exec" {
    command = var.create_hook == "" ? "true" : var.create_hook
  }

  # Created after the repository, so that a test which interrupts or fails
  # the cluster's creation knows what the state already holds.
  depends_on = [terraform_data.repository]
}

# Stands in for the Artifact Registry repository.
resource "terraform_data" "repository" {
  input = var.repository_url
}

# Stands in for the global address of the HTTPS Ingress: only with a domain.
resource "terraform_data" "ingress" {
  count = var.domain == "" ? 0 : 1

  input = var.ingress_ip
}
