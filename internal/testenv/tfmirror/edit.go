package tfmirror

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Edit is one change to a module's files.
type Edit struct {
	// File is the file to change, relative to the module.
	File string
	// Block is the path to the block to change, outermost first; each element
	// is the block's type and labels, separated by spaces, as in
	// "resource google_container_cluster desktop".
	Block []string
	// Attribute is the attribute to change in that block. Empty: remove the
	// whole block.
	Attribute string
	// Value is the attribute's new expression. Empty: remove the attribute.
	Value string
	// Why says what the old provider lacks.
	Why string
}

// String names the edit.
func (e Edit) String() string {
	what := "remove " + e.Block[len(e.Block)-1]
	if e.Attribute != "" {
		what = "remove " + e.Attribute + " from " + e.Block[len(e.Block)-1]
	}
	if e.Value != "" {
		what = "set " + e.Attribute + " in " + e.Block[len(e.Block)-1]
	}
	return e.File + ": " + what
}

// GKEModuleEdits are the changes that make mvm's GKE module (written for
// hashicorp/google 6.x) acceptable to the mirror's 2022 build. Everything
// else in the module is checked offline as it is.
var GKEModuleEdits = []Edit{
	{
		File:      "versions.tf",
		Block:     []string{"terraform", "required_providers"},
		Attribute: "google",
		Value:     `{ source = "hashicorp/google", version = "= ` + GoogleVersion + `" }`,
		Why:       "the mirror's only hashicorp/google is " + GoogleVersion + "; the module requires ~> 6.0",
	},
	{
		File:      "cluster.tf",
		Block:     []string{"resource google_container_cluster desktop"},
		Attribute: "deletion_protection",
		Why:       "google_container_cluster has deletion_protection since provider 5.0",
	},
	{
		File:  "registry.tf",
		Block: []string{"resource google_artifact_registry_repository desktop"},
		Why:   "the 2022 build has no google_artifact_registry_repository: it was in google-beta then, which is not served",
	},
	{
		File:  "cluster.tf",
		Block: []string{"resource google_container_cluster desktop", "cluster_autoscaling"},
		Why: "the 2022 build requires cluster_autoscaling.enabled and refuses it with Autopilot: " +
			"it cannot give Autopilot's nodes a service account",
	},
	{
		File:  "nodes.tf",
		Block: []string{"resource google_artifact_registry_repository_iam_member nodes"},
		Why:   "the 2022 build has no Artifact Registry resources at all (see the repository)",
	},
	{
		File:      "cluster.tf",
		Block:     []string{"resource google_container_cluster desktop"},
		Attribute: "depends_on",
		Value:     "[google_project_service.service, google_project_iam_member.nodes]",
		Why:       "it names the removed repository binding",
	},
	{
		File:      "outputs.tf",
		Block:     []string{"output repository_url"},
		Attribute: "value",
		Value:     `format("%s-docker.pkg.dev/%s/%s", var.region, var.project, var.name)`,
		Why:       "it reads the removed repository; the same URL is made from the variables",
	},
}

// Apply makes each edit to the module in dir. An edit that finds nothing to
// change is an error: the list must describe the module as it is.
func Apply(dir string, edits []Edit) error {
	for _, e := range edits {
		if err := apply(dir, e); err != nil {
			return fmt.Errorf("edit %s: %w", e, err)
		}
	}
	return nil
}

func apply(dir string, e Edit) error {
	path := filepath.Join(dir, e.File)
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, diags := hclwrite.ParseConfig(src, e.File, hcl.InitialPos)
	if diags.HasErrors() {
		return diags
	}

	parent, block := f.Body(), (*hclwrite.Block)(nil)
	for _, b := range e.Block {
		if block != nil {
			parent = block.Body()
		}
		fields := strings.Fields(b)
		if block = parent.FirstMatchingBlock(fields[0], fields[1:]); block == nil {
			return fmt.Errorf("no block %q", b)
		}
	}
	if err := change(parent, block, e); err != nil {
		return err
	}
	return os.WriteFile(path, f.Bytes(), 0o644)
}

func change(parent *hclwrite.Body, block *hclwrite.Block, e Edit) error {
	switch {
	case e.Attribute == "":
		parent.RemoveBlock(block)
	case block.Body().GetAttribute(e.Attribute) == nil:
		return fmt.Errorf("no attribute %q", e.Attribute)
	case e.Value == "":
		block.Body().RemoveAttribute(e.Attribute)
	default:
		tokens, err := expression(e.Value)
		if err != nil {
			return err
		}
		block.Body().SetAttributeRaw(e.Attribute, tokens)
	}
	return nil
}

// expression parses one HCL expression into tokens.
func expression(src string) (hclwrite.Tokens, error) {
	f, diags := hclwrite.ParseConfig([]byte("x = "+src+"\n"), "edit", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	return f.Body().GetAttribute("x").Expr().BuildTokens(nil), nil
}
