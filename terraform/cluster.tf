# An Autopilot cluster: Google manages the nodes, and pods are billed by the
# resources they request. Autopilot always runs Workload Identity Federation
# for GKE with the pool PROJECT.svc.id.goog, so there is nothing to turn on.
#
# The control plane's endpoint is reachable from the internet, as mvm must
# reach it from the user's machine, but it accepts only authenticated Google
# identities: no client certificate is issued, and nothing here serves
# anything without authentication.
resource "google_container_cluster" "desktop" {
  name     = var.name
  location = var.region

  enable_autopilot    = true
  deletion_protection = var.deletion_protection

  release_channel {
    channel = "REGULAR"
  }

  master_auth {
    client_certificate_config {
      issue_client_certificate = false
    }
  }

  # Autopilot's nodes run as the cluster's own service account (nodes.tf).
  cluster_autoscaling {
    auto_provisioning_defaults {
      service_account = google_service_account.nodes.email
      oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    }
  }

  depends_on = [
    google_project_service.service,
    google_project_iam_member.nodes,
    google_artifact_registry_repository_iam_member.nodes,
  ]
}
