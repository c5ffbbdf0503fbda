package main

import (
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/manifests"
)

// clusterParams is the desktop of o on a Kubernetes cluster, running image
// ref, with memory in bytes as desktopOptions.check returns it.
func clusterParams(o *desktopOptions, ref string, memory int64) manifests.Params {
	return manifests.Params{
		Name:       o.name,
		Image:      ref,
		Resolution: o.resolution,
		Persist:    o.persist,
		CPU:        manifests.Same(*resource.NewMilliQuantity(int64(o.cpus*1000), resource.DecimalSI)),
		Memory:     manifests.Same(*resource.NewQuantity(memory, resource.BinarySI)),
	}
}
