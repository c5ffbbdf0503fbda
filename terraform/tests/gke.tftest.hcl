# Checks the module's logic with a mocked google provider: no credentials and
# no network. terraform reads the provider's schema from its binary, so these
# tests run against a build of hashicorp/google from a provider mirror.

mock_provider "google" {
  mock_resource "google_compute_global_address" {
    defaults = {
      address = "203.0.113.20"
    }
  }
}

override_resource {
  target = google_container_cluster.desktop
  values = {
    endpoint = "203.0.113.10"
    # A nested block's values are given as one object, not a list.
    master_auth = {
      cluster_ca_certificate = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    }
  }
}

variables {
  project = "mvm-example"
  region  = "europe-west1"
}

run "private_without_domain" {
  assert {
    condition     = google_container_cluster.desktop.enable_autopilot
    error_message = "The cluster must be an Autopilot cluster."
  }
  assert {
    condition     = google_container_cluster.desktop.name == "mvm" && google_container_cluster.desktop.location == "europe-west1"
    error_message = "The cluster must be named after var.name, in var.region."
  }
  assert {
    condition     = google_container_cluster.desktop.release_channel[0].channel == "REGULAR"
    error_message = "The cluster must follow the REGULAR release channel."
  }
  assert {
    condition     = !var.deletion_protection
    error_message = "Deletion protection must be off by default, so that destroying works."
  }
  assert {
    condition     = length(google_compute_global_address.ingress) == 0 && output.ingress_ip == ""
    error_message = "Without a domain nothing may be public: no Ingress address."
  }
  assert {
    condition = toset(keys(google_project_service.service)) == toset([
      "artifactregistry.googleapis.com", "compute.googleapis.com", "container.googleapis.com",
    ])
    error_message = "The module must enable exactly the services it uses."
  }
  assert {
    condition     = alltrue([for s in google_project_service.service : !s.disable_on_destroy])
    error_message = "Destroying must leave the project's services enabled."
  }
  assert {
    condition     = google_service_account.nodes.account_id == "mvm-nodes"
    error_message = "The nodes must get a service account of the cluster's own, NAME-nodes."
  }
  assert {
    condition     = google_project_iam_member.nodes.role == "roles/container.defaultNodeServiceAccount"
    error_message = "The nodes' service account must get exactly the role GKE nodes need."
  }
}

run "long_name_fits_a_service_account_id" {
  command = plan

  variables {
    name = "a-cluster-name-of-30-letters-x"
  }

  assert {
    condition     = length(google_service_account.nodes.account_id) <= 30
    error_message = "Service account IDs are at most 30 characters."
  }
}

run "outputs" {
  command = apply

  assert {
    condition     = output.cluster_endpoint == "https://203.0.113.10"
    error_message = "cluster_endpoint must be the endpoint as an HTTPS URL."
  }
  assert {
    condition     = output.cluster_ca_certificate == "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg=="
    error_message = "cluster_ca_certificate must be GKE's base64 PEM, unchanged."
  }
  assert {
    condition     = output.repository_url == "europe-west1-docker.pkg.dev/mvm-example/mvm"
    error_message = "repository_url must be REGION-docker.pkg.dev/PROJECT/NAME."
  }
  assert {
    condition     = output.cluster_name == "mvm" && output.location == "europe-west1"
    error_message = "cluster_name and location must name the cluster."
  }
  assert {
    condition     = output.ingress_ip == ""
    error_message = "ingress_ip must be empty without a domain."
  }
}

run "https_with_domain" {
  command = apply

  variables {
    name   = "demo"
    domain = "desktop.example.com"
  }

  assert {
    condition     = length(google_compute_global_address.ingress) == 1
    error_message = "A domain needs one global address for the Ingress."
  }
  assert {
    condition     = google_compute_global_address.ingress[0].name == "demo-ingress"
    error_message = "The Ingress refers to the address by the name NAME-ingress."
  }
  assert {
    condition     = output.ingress_ip == "203.0.113.20"
    error_message = "ingress_ip must be the global address."
  }
  assert {
    condition     = output.repository_url == "europe-west1-docker.pkg.dev/mvm-example/demo"
    error_message = "The repository must be named after var.name."
  }
}

run "rejects_bad_region" {
  command = plan

  variables {
    region = "europe-west"
  }

  expect_failures = [var.region]
}

run "rejects_bad_name" {
  command = plan

  variables {
    name = "Desktop_1"
  }

  expect_failures = [var.name]
}

run "rejects_empty_project" {
  command = plan

  variables {
    project = ""
  }

  expect_failures = [var.project]
}
