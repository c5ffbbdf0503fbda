package gke

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
)

// DefaultName is the name a [Target] gets when none is given.
const DefaultName = "mvm"

// Target is one deployment: a project, a region and a name. Each target has
// its own working directory and state.
type Target struct {
	// Project is the ID of the Google Cloud project.
	Project string
	// Region is a Google Cloud region such as europe-west1.
	Region string
	// Name names the cluster and prefixes the other resources' names. Empty
	// means [DefaultName].
	Name string
	// Domain is the domain name the desktop is served on over HTTPS. Empty:
	// nothing is exposed publicly.
	Domain string
	// DeletionProtection makes GKE refuse to delete the cluster.
	DeletionProtection bool
	// StateBucket is a Cloud Storage bucket for Terraform's state. Empty keeps
	// the state in the user's state directory.
	StateBucket string
	// ModuleDir is a Terraform module to use in place of the embedded one. It
	// must take the same variables and declare the same outputs.
	ModuleDir string
	// Vars are further variables for a module given in ModuleDir. They may
	// not set the variables that the fields above set.
	Vars map[string]any
}

var (
	projectPattern = regexp.MustCompile(`^([a-z][-a-z0-9.]*[a-z0-9]:)?[a-z][-a-z0-9]{4,28}[a-z0-9]$`)
	regionPattern  = regexp.MustCompile(`^[a-z]+-[a-z]+[0-9]+$`)
	namePattern    = regexp.MustCompile(`^[a-z]([-a-z0-9]{0,28}[a-z0-9])?$`)
	domainPattern  = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	bucketPattern  = regexp.MustCompile(`^[a-z0-9][-a-z0-9_.]{1,220}[a-z0-9]$`)
)

func (t Target) withDefaults() Target {
	if t.Name == "" {
		t.Name = DefaultName
	}
	return t
}

// check returns one error line for each field that cannot be right. The
// patterns also keep the fields safe to use as path elements.
func (t Target) check() []error {
	var errs []error
	switch {
	case t.Project == "":
		errs = append(errs, errors.New("no project: give the ID of the Google Cloud project to use"))
	case !projectPattern.MatchString(t.Project):
		errs = append(errs, fmt.Errorf("project %q is not a Google Cloud project ID "+
			"(6 to 30 lowercase letters, digits and hyphens)", t.Project))
	}
	if !regionPattern.MatchString(t.Region) {
		errs = append(errs, fmt.Errorf("region %q is not a Google Cloud region such as europe-west1", t.Region))
	}
	if !namePattern.MatchString(t.Name) {
		errs = append(errs, fmt.Errorf("name %q must be 1 to 30 lowercase letters, digits or hyphens, "+
			"starting with a letter and not ending with a hyphen", t.Name))
	}
	if t.Domain != "" && !domainPattern.MatchString(t.Domain) {
		errs = append(errs, fmt.Errorf("domain %q is not a lowercase DNS name such as desktop.example.com", t.Domain))
	}
	if t.StateBucket != "" && !bucketPattern.MatchString(t.StateBucket) {
		errs = append(errs, fmt.Errorf("state bucket %q is not a Cloud Storage bucket name (give it without gs://)",
			t.StateBucket))
	}
	return errs
}

// key is the target's place below a base directory: project/region/name.
func (t Target) key() string {
	return filepath.Join(t.Project, t.Region, t.Name)
}
