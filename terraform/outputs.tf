# These outputs are the contract between this module and mvm: a module given
# to mvm in place of this one must declare the same outputs, all strings.

output "cluster_endpoint" {
  description = "HTTPS URL of the cluster's Kubernetes API server."
  value       = "https://${google_container_cluster.desktop.endpoint}"
}

output "cluster_ca_certificate" {
  description = "Base64-encoded PEM certificate of the cluster's certificate authority."
  value       = google_container_cluster.desktop.master_auth[0].cluster_ca_certificate
}

output "repository_url" {
  description = "Docker repository for the desktop image, as REGION-docker.pkg.dev/PROJECT/REPOSITORY."
  value = format("%s-docker.pkg.dev/%s/%s",
    google_artifact_registry_repository.desktop.location,
    google_artifact_registry_repository.desktop.project,
    google_artifact_registry_repository.desktop.repository_id,
  )
}

output "ingress_ip" {
  description = "Global IP address for the HTTPS Ingress; empty when no domain is given."
  value       = join("", google_compute_global_address.ingress[*].address)
}

output "cluster_name" {
  description = "Name of the GKE cluster."
  value       = google_container_cluster.desktop.name
}

output "location" {
  description = "Location (region) of the GKE cluster."
  value       = google_container_cluster.desktop.location
}
