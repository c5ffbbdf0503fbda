variable "project" {
  description = "ID of the Google Cloud project that holds the cluster and the image repository."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.project) > 0
    error_message = "The project must not be empty."
  }
}

variable "region" {
  description = "Google Cloud region of the cluster and the repository, such as europe-west1."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]+-[a-z]+[0-9]+$", var.region))
    error_message = "The region must look like europe-west1 or us-central1."
  }
}

variable "name" {
  description = "Name of the cluster and prefix of every other resource's name."
  type        = string
  default     = "mvm"
  nullable    = false

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$", var.name))
    error_message = "The name must be 1 to 30 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "domain" {
  description = "Domain name the desktop is served on over HTTPS. Empty: nothing is exposed publicly."
  type        = string
  default     = ""
  nullable    = false
}

variable "deletion_protection" {
  description = "Whether GKE refuses to delete the cluster. Off by default so that destroying the infrastructure works."
  type        = bool
  default     = false
  nullable    = false
}
