package stats

import (
	"time"

	"github.com/mvm-dev/mvm/internal/state"
)

// Snapshot is what one refresh saw.
type Snapshot struct {
	// Time is when the refresh began.
	Time time.Time `json:"time"`
	// Took is how long the refresh took.
	Took state.Seconds `json:"took_s"`
	// Desktops are sorted by target (docker, kind, minikube, gke) and name.
	Desktops []Row `json:"desktops"`
	// Unreachable lists the targets that could not be read at all.
	Unreachable []Unreachable `json:"unreachable"`
	// Starts summarises the recorded time to first frame per target.
	Starts []StartSummary `json:"starts"`

	// queried counts the targets asked, to tell "nothing could be read"
	// from "nothing runs".
	queried int
}

// Row is one desktop. A figure the target or the agent could not give is
// nil, and Note says why.
type Row struct {
	Name   string `json:"name"`
	Target string `json:"target"`
	// Context is the kube context of a Kubernetes desktop.
	Context string `json:"context,omitempty"`
	// Namespace is the Kubernetes namespace of the desktop.
	Namespace string `json:"namespace,omitempty"`
	// State is "running", "exited", "pending", "not ready", "missing"
	// (recorded but gone) and the like.
	State string `json:"state"`
	// CPUPercent is the CPU use in percent of one CPU, as `docker stats`
	// shows it: a desktop busy on two CPUs shows 200.
	CPUPercent *float64 `json:"cpu_percent"`
	// MemoryBytes is the working set: memory in use less the file cache the
	// kernel reclaims first.
	MemoryBytes      *uint64 `json:"memory_bytes"`
	MemoryLimitBytes *uint64 `json:"memory_limit_bytes"`
	// RxBytes and TxBytes are the desktop's stream as its agent counts it:
	// bytes from browsers to the desktop, and from the desktop to browsers.
	RxBytes *uint64 `json:"rx_bytes"`
	TxBytes *uint64 `json:"tx_bytes"`
	// Clients is the number of browsers connected now.
	Clients *int64 `json:"clients"`
	// StartedAt is when the desktop's current run began.
	StartedAt time.Time `json:"started_at,omitzero"`
	// UptimeSeconds is the time from StartedAt to the snapshot.
	UptimeSeconds *float64 `json:"uptime_s"`
	// FirstFrame is the time to first frame of the desktop's latest start
	// that mvm recorded.
	FirstFrame *FirstFrame `json:"first_frame"`
	// Note says why a figure is missing, for example that no token is
	// recorded for the desktop.
	Note string `json:"note,omitempty"`
}

// FirstFrame is the recorded start of a desktop.
type FirstFrame struct {
	// At is when the start began.
	At time.Time `json:"at"`
	// Seconds is the time from the first call to the target until the
	// first frame.
	Seconds state.Seconds `json:"s"`
	// Cold is true for a new desktop, false for a stopped one started again.
	Cold bool `json:"cold"`
}

// Unreachable is a target that could not be read, and why.
type Unreachable struct {
	Target  string `json:"target"`
	Context string `json:"context,omitempty"`
	Reason  string `json:"reason"`
}

// StartSummary is the spread of the recorded times to first frame of one
// target and kind of start.
type StartSummary struct {
	Target string `json:"target"`
	// Kind is "cold" (a new desktop), "warm" (a stopped desktop started
	// again) or "all".
	Kind  string        `json:"kind"`
	Count int           `json:"count"`
	P50   state.Seconds `json:"p50_s"`
	P95   state.Seconds `json:"p95_s"`
}

// NothingRead reports that targets were asked and none of them answered.
func (s *Snapshot) NothingRead() bool {
	return s.queried > 0 && len(s.Unreachable) >= s.queried
}
