# The Docker repository that mvm pushes the desktop image to, in the cluster's
# region so that pulls stay inside it.
resource "google_artifact_registry_repository" "desktop" {
  location      = var.region
  repository_id = var.name
  format        = "DOCKER"
  description   = "Desktop images pushed by mvm."

  depends_on = [google_project_service.service]
}
