# The APIs that the cluster, the image repository and the load balancer's
# address need. Destroying this module leaves them enabled, because other
# workloads in the project may depend on them.
resource "google_project_service" "service" {
  for_each = toset([
    "artifactregistry.googleapis.com",
    "compute.googleapis.com",
    "container.googleapis.com",
  ])

  service            = each.value
  disable_on_destroy = false
}
