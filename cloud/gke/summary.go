package gke

import (
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
)

// Action is what a plan does to one resource, as the symbol terraform shows
// for it in its own plan output.
type Action string

// The actions a [Summary] lists.
const (
	Create             Action = "+"
	Update             Action = "~"
	Delete             Action = "-"
	Replace            Action = "-/+" // destroy, then create
	ReplaceCreateFirst Action = "+/-" // create, then destroy
	Read               Action = "<="
	Forget             Action = "."   // removed from state, not destroyed
	CreateThenForget   Action = "+/." // a replacement that leaves the old one
	Unknown            Action = "?"
)

// ResourceChange is one resource instance that a plan changes.
type ResourceChange struct {
	// Address is the instance's address, such as
	// google_container_cluster.desktop.
	Address string `json:"address"`
	// Action is what the plan does to it.
	Action Action `json:"action"`
	// Tainted reports a replacement because an earlier apply failed or was
	// interrupted while creating the resource.
	Tainted bool `json:"tainted,omitempty"`
}

// Summary is what a saved plan changes, counted as terraform counts it: a
// replacement is one to add and one to destroy.
type Summary struct {
	// Add, Change and Destroy count resource instances, as in terraform's
	// "Plan: 1 to add, 0 to change, 0 to destroy".
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
	// Resources lists every instance the plan does something to, in
	// terraform's order.
	Resources []ResourceChange `json:"resources"`
	// OutputsChange reports that applying changes an output's value.
	OutputsChange bool `json:"outputs_change"`
}

// summarise counts and lists the changes in p.
func summarise(p *tfjson.Plan) *Summary {
	s := &Summary{}
	for _, rc := range p.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() {
			continue
		}
		a := action(rc.Change.Actions)
		s.count(a)
		s.Resources = append(s.Resources, ResourceChange{
			Address: rc.Address,
			Action:  a,
			Tainted: rc.ActionReason == tfjson.ActionReasonReplaceBecauseTainted,
		})
	}
	for _, c := range p.OutputChanges {
		if c != nil && !c.Actions.NoOp() {
			s.OutputsChange = true
		}
	}
	return s
}

func action(a tfjson.Actions) Action {
	switch {
	case a.Create():
		return Create
	case a.Update():
		return Update
	case a.Delete():
		return Delete
	case a.DestroyBeforeCreate():
		return Replace
	case a.CreateBeforeDestroy():
		return ReplaceCreateFirst
	case a.Read():
		return Read
	case a.Forget():
		return Forget
	case len(a) == 2 && a[0] == tfjson.ActionCreate && a[1] == tfjson.ActionForget:
		return CreateThenForget
	}
	return Unknown
}

func (s *Summary) count(a Action) {
	switch a {
	case Create, CreateThenForget:
		s.Add++
	case Update:
		s.Change++
	case Delete:
		s.Destroy++
	case Replace, ReplaceCreateFirst:
		s.Add++
		s.Destroy++
	}
}

// Empty reports a plan that changes nothing: applying it would do nothing.
func (s *Summary) Empty() bool {
	return len(s.Resources) == 0 && !s.OutputsChange
}

// Counts returns the counts as "+1 ~0 -1".
func (s *Summary) Counts() string {
	return fmt.Sprintf("+%d ~%d -%d", s.Add, s.Change, s.Destroy)
}

// String renders the summary for people: the counts, then one line per
// resource with its action's symbol.
func (s *Summary) String() string {
	var b strings.Builder
	b.WriteString(s.Counts())
	switch {
	case s.Empty():
		b.WriteString(" (no changes)")
	case len(s.Resources) == 0:
		b.WriteString(" (outputs change)")
	}
	for _, r := range s.Resources {
		fmt.Fprintf(&b, "\n  %3s %s", r.Action, r.Address)
		if r.Tainted {
			b.WriteString(" (tainted)")
		}
	}
	return b.String()
}
