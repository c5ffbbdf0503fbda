# The global address of the HTTPS load balancer that a GCE Ingress creates
# for the desktop; the Ingress refers to it by name through the annotation
# kubernetes.io/ingress.global-static-ip-name. It exists only when a domain is
# given: without one, nothing is public and mvm reaches the desktop through
# the Kubernetes API server.
resource "google_compute_global_address" "ingress" {
  count = var.domain == "" ? 0 : 1

  name = "${var.name}-ingress"

  depends_on = [google_project_service.service]
}
