package gke

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"
)

// change builds a planned change of one resource instance.
func change(address string, reason tfjson.ActionReason, actions ...tfjson.Action) *tfjson.ResourceChange {
	return &tfjson.ResourceChange{
		Address:      address,
		ActionReason: reason,
		Change:       &tfjson.Change{Actions: actions},
	}
}

func TestSummarise(t *testing.T) {
	t.Parallel()
	const (
		create = tfjson.ActionCreate
		update = tfjson.ActionUpdate
		del    = tfjson.ActionDelete
		read   = tfjson.ActionRead
		noop   = tfjson.ActionNoop
		forget = tfjson.ActionForget
	)
	tests := []struct {
		name   string
		plan   tfjson.Plan
		counts string
		text   string
	}{
		{
			name:   "nothing",
			plan:   tfjson.Plan{},
			counts: "+0 ~0 -0",
			text:   "+0 ~0 -0 (no changes)",
		},
		{
			name: "no-ops only",
			plan: tfjson.Plan{
				ResourceChanges: []*tfjson.ResourceChange{change("terraform_data.cluster", "", noop)},
				OutputChanges:   map[string]*tfjson.Change{"location": {Actions: tfjson.Actions{noop}}},
			},
			counts: "+0 ~0 -0",
			text:   "+0 ~0 -0 (no changes)",
		},
		{
			name: "first apply",
			plan: tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				change(`google_project_service.service["container.googleapis.com"]`, "", create),
				change("google_container_cluster.desktop", "", create),
				change("google_compute_global_address.ingress[0]", "", create),
			}},
			counts: "+3 ~0 -0",
			text: "+3 ~0 -0\n" +
				`    + google_project_service.service["container.googleapis.com"]` + "\n" +
				"    + google_container_cluster.desktop\n" +
				"    + google_compute_global_address.ingress[0]",
		},
		{
			name: "replacements count once each way",
			plan: tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				change("terraform_data.cluster", tfjson.ActionReasonReplaceBecauseTainted, del, create),
				change("google_compute_global_address.ingress[0]", "", create, del),
				change("google_container_cluster.desktop", "", update),
				change("terraform_data.repository", "", noop),
			}},
			counts: "+2 ~1 -2",
			text: "+2 ~1 -2\n" +
				"  -/+ terraform_data.cluster (tainted)\n" +
				"  +/- google_compute_global_address.ingress[0]\n" +
				"    ~ google_container_cluster.desktop",
		},
		{
			name: "destroy",
			plan: tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				change("terraform_data.cluster", "", del),
				change("terraform_data.repository", "", del),
			}},
			counts: "+0 ~0 -2",
			text:   "+0 ~0 -2\n    - terraform_data.cluster\n    - terraform_data.repository",
		},
		{
			name: "reads and forgets are listed, not counted",
			plan: tfjson.Plan{ResourceChanges: []*tfjson.ResourceChange{
				change("data.google_project.this", tfjson.ActionReasonReadBecauseConfigUnknown, read),
				change("google_project_service.old", "", forget),
				change("google_project_service.new", "", create, forget),
			}},
			counts: "+1 ~0 -0",
			text: "+1 ~0 -0\n   <= data.google_project.this\n" +
				"    . google_project_service.old\n  +/. google_project_service.new",
		},
		{
			name: "outputs only",
			plan: tfjson.Plan{OutputChanges: map[string]*tfjson.Change{
				"ingress_ip": {Actions: tfjson.Actions{update}},
			}},
			counts: "+0 ~0 -0",
			text:   "+0 ~0 -0 (outputs change)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := summarise(&tt.plan)
			if got := s.Counts(); got != tt.counts {
				t.Errorf("Counts() = %q, want %q", got, tt.counts)
			}
			if diff := cmp.Diff(tt.text, s.String()); diff != "" {
				t.Errorf("String() (-want +got):\n%s", diff)
			}
			if want := tt.text == tt.counts+" (no changes)"; s.Empty() != want {
				t.Errorf("Empty() = %v, want %v", s.Empty(), want)
			}
		})
	}
}
