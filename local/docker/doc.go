// Package docker runs desktops as containers on a Docker Engine: hardened,
// published on 127.0.0.1 only, labelled so that mvm finds what it owns, and
// optionally with a home directory that outlives the container.
package docker
