# The same outputs as the GKE module, read from the resources' state so that
# they exist only after apply, as the real ones do.

output "cluster_endpoint" {
  value = terraform_data.cluster.output.endpoint
}

output "cluster_ca_certificate" {
  value = terraform_data.cluster.output.ca
}

output "repository_url" {
  value = terraform_data.repository.output
}

output "ingress_ip" {
  value = join("", terraform_data.ingress[*].output)
}

output "cluster_name" {
  value = terraform_data.cluster.output.name
}

output "location" {
  value = terraform_data.cluster.output.location
}
