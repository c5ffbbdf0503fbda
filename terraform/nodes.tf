# The identity of the cluster's nodes: a service account of the cluster's
# own with only what nodes need, rather than the project's default compute
# account, whose rights depend on the project (organisations often take its
# Editor role away, and then nodes cannot pull the desktop image).
resource "google_service_account" "nodes" {
  # Service account IDs are at most 30 characters.
  account_id   = "${substr(var.name, 0, 24)}-nodes"
  display_name = "Nodes of the GKE cluster ${var.name} (made by mvm)"

  depends_on = [google_project_service.service]
}

# What GKE needs from a node's identity: writing logs and metrics.
resource "google_project_iam_member" "nodes" {
  project = var.project
  role    = "roles/container.defaultNodeServiceAccount"
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

# Pulling the desktop image, from this repository only.
resource "google_artifact_registry_repository_iam_member" "nodes" {
  project    = google_artifact_registry_repository.desktop.project
  location   = google_artifact_registry_repository.desktop.location
  repository = google_artifact_registry_repository.desktop.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.nodes.email}"
}
