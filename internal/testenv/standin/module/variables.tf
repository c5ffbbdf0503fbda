# The GKE module's variables. mvm sets them for every module; here they only
# name things.

variable "project" {
  description = "Google Cloud project ID; only recorded."
  type        = string
}

variable "region" {
  description = "Region; becomes the location output."
  type        = string
}

variable "name" {
  description = "Name of the stand-in cluster."
  type        = string
  default     = "mvm"
}

variable "domain" {
  description = "Domain; when set, ingress_ip is var.ingress_ip."
  type        = string
  default     = ""
}

variable "deletion_protection" {
  description = "Accepted for the GKE module's interface; unused."
  type        = bool
  default     = false
}

# What the stand-in passes through.

variable "cluster_endpoint" {
  description = "HTTPS URL of a real Kubernetes API server, such as a Kind cluster's."
  type        = string
}

variable "cluster_ca_certificate" {
  description = "Base64-encoded PEM CA certificate of that API server."
  type        = string
}

variable "repository_url" {
  description = "A real registry's repository, such as 127.0.0.1:5000/mvm."
  type        = string
}

variable "ingress_ip" {
  description = "Address reported as ingress_ip when a domain is given."
  type        = string
  default     = "127.0.0.1"
}

variable "create_hook" {
  description = "Shell command run when the stand-in cluster is created; empty runs nothing."
  type        = string
  default     = ""
}
