package main

import (
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/manifests"
)

// localCPURequest is the CPU a desktop reserves on a local cluster. An idle
// desktop uses almost none, and a laptop-sized node would fit only one
// desktop if each reserved its whole limit; --cpus stays the limit.
const localCPURequest = 250

// clusterParams is the desktop of o on a local Kubernetes cluster, running
// image ref, with memory in bytes as desktopOptions.check returns it.
func clusterParams(o *desktopOptions, ref string, memory int64) manifests.Params {
	limit := int64(o.cpus * 1000)
	return manifests.Params{
		Name:       o.name,
		Image:      ref,
		Resolution: o.resolution,
		Persist:    o.persist,
		CPU: manifests.Resources{
			Request: *resource.NewMilliQuantity(min(limit, localCPURequest), resource.DecimalSI),
			Limit:   *resource.NewMilliQuantity(limit, resource.DecimalSI),
		},
		Memory: manifests.Same(*resource.NewQuantity(memory, resource.BinarySI)),
	}
}
