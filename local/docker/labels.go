package docker

// Labels on every container and volume mvm creates; listing and removal go
// by them, never by name alone.
const (
	LabelManaged = "mvm.dev/managed-by"
	LabelDesktop = "mvm.dev/desktop"
	LabelPersist = "mvm.dev/persist"
	LabelFlavor  = "mvm.dev/flavor"
	LabelRes     = "mvm.dev/resolution"
	LabelVNC     = "mvm.dev/vnc"
	managedBy    = "mvm"
)

// ContainerName is the container of a desktop.
func ContainerName(desktop string) string { return "mvm-" + desktop }

// HomeVolume is the named volume that keeps a persistent desktop's home.
func HomeVolume(desktop string) string { return "mvm-home-" + desktop }

// Home is the desktop user's home directory in the image.
const Home = "/home/desktop"
