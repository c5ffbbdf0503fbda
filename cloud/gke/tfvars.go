package gke

import (
	"encoding/json"
	"fmt"
)

// varsFile is the generated variables file. Terraform loads *.auto.tfvars.json
// from the working directory by itself, after terraform.tfvars, so these
// values win over a module's own defaults files.
const varsFile = "mvm.auto.tfvars.json"

// tfvars returns the variables file for t: the module's variables, then the
// target's extra ones.
func tfvars(t Target) ([]byte, error) {
	vars := map[string]any{
		"project":             t.Project,
		"region":              t.Region,
		"name":                t.Name,
		"domain":              t.Domain,
		"deletion_protection": t.DeletionProtection,
	}
	for k, v := range t.Vars {
		if _, ok := vars[k]; ok {
			return nil, fmt.Errorf("variable %q is set by the target itself; set the target's field instead", k)
		}
		vars[k] = v
	}

	data, err := json.MarshalIndent(vars, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode module variables: %w", err)
	}
	return append(data, '\n'), nil
}
