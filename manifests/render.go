package manifests

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	sigsyaml "sigs.k8s.io/yaml"
)

// files are the manifests as they are on disk.
//
//go:embed base components overlays
var files embed.FS

// root is where the files go on the in-memory file system; the generated
// kustomization that adds the desktop's Secret and components sits beside
// them.
const (
	root   = "/manifests"
	render = "/render"
)

// Render renders the desktop of p: the objects to apply, in kustomize's
// order (Secrets and claims before the Deployment that uses them).
func Render(p Params) ([]*unstructured.Unstructured, error) {
	b, err := RenderYAML(p)
	if err != nil {
		return nil, err
	}
	return decode(b)
}

// RenderYAML is [Render] as one YAML stream.
func RenderYAML(p Params) ([]byte, error) {
	p, err := p.withDefaults()
	if err != nil {
		return nil, err
	}
	fsys, err := memFS(p)
	if err != nil {
		return nil, err
	}
	opts := krusty.MakeDefaultOptions()
	// The order comes from sortOptions in the generated kustomization;
	// setting it here as well makes kustomize print a warning.
	opts.Reorder = krusty.ReorderOptionUnspecified
	m, err := krusty.MakeKustomizer(opts).Run(fsys, render)
	if err != nil {
		return nil, fmt.Errorf("render the %s manifests of desktop %s: %w", p.Overlay, p.Name, err)
	}
	return m.AsYaml()
}

// memFS is the embedded tree with the desktop's parameters in place of the
// defaults, and the kustomization that selects its overlay.
func memFS(p Params) (filesys.FileSystem, error) {
	fsys := filesys.MakeFsInMemory()
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		return fsys.WriteFile(path.Join(root, name), b)
	})
	if err != nil {
		return nil, err
	}

	params, err := paramsYAML(p)
	if err != nil {
		return nil, err
	}
	if err := fsys.WriteFile(path.Join(root, "base/params.yaml"), params); err != nil {
		return nil, err
	}
	top, err := kustomizationYAML(p)
	if err != nil {
		return nil, err
	}
	return fsys, fsys.WriteFile(path.Join(render, "kustomization.yaml"), top)
}

// paramsFile is base/params.yaml.
type paramsFile struct {
	APIVersion string         `json:"apiVersion"`
	Kind       string         `json:"kind"`
	Metadata   map[string]any `json:"metadata"`
	Spec       paramsSpec     `json:"spec"`
}

type paramsSpec struct {
	Name          string `json:"name"`
	Image         string `json:"image"`
	Resolution    string `json:"resolution"`
	CPURequest    string `json:"cpuRequest"`
	CPULimit      string `json:"cpuLimit"`
	MemoryRequest string `json:"memoryRequest"`
	MemoryLimit   string `json:"memoryLimit"`
	TokenSHA256   string `json:"tokenSHA256"`
	NodePort      int32  `json:"nodePort"`
	HomeSize      string `json:"homeSize"`
	Domain        string `json:"domain"`
	StaticIPName  string `json:"staticIPName"`
}

func paramsYAML(p Params) ([]byte, error) {
	nodePort := p.NodePort
	if nodePort == 0 {
		// The GKE overlay has no NodePort; the field only has to be valid.
		nodePort = 30680
	}
	return sigsyaml.Marshal(paramsFile{
		APIVersion: "mvm.dev/v1",
		Kind:       "DesktopParams",
		Metadata: map[string]any{
			"name":        "desktop-params",
			"annotations": map[string]string{"config.kubernetes.io/local-config": "true"},
		},
		Spec: paramsSpec{
			Name:          p.Name,
			Image:         p.Image,
			Resolution:    p.Resolution,
			CPURequest:    p.CPU.Request.String(),
			CPULimit:      p.CPU.Limit.String(),
			MemoryRequest: p.Memory.Request.String(),
			MemoryLimit:   p.Memory.Limit.String(),
			TokenSHA256:   tokenDigest(p.Token),
			NodePort:      nodePort,
			HomeSize:      p.HomeSize.String(),
			Domain:        p.Domain,
			StaticIPName:  p.StaticIPName,
		},
	})
}

// kustomizationYAML is the top kustomization: the overlay, the components
// p asks for, the namespace and the token Secret.
func kustomizationYAML(p Params) ([]byte, error) {
	k := map[string]any{
		"apiVersion": "kustomize.config.k8s.io/v1beta1",
		"kind":       "Kustomization",
		"namespace":  p.Namespace,
		// Secrets and claims before the Deployment that mounts them.
		"sortOptions": map[string]string{"order": "legacy"},
		"resources":   []string{path.Join("..", path.Base(root), "overlays", string(p.Overlay))},
	}
	var components []string
	if p.Persist {
		components = append(components, "../manifests/components/persist")
	}
	if p.Domain != "" {
		components = append(components, "../manifests/components/ingress")
	}
	if len(components) > 0 {
		k["components"] = components
	}
	if p.Token != "" {
		k["secretGenerator"] = []map[string]any{{
			"name":     SecretName(p.Name),
			"type":     "Opaque",
			"literals": []string{"token=" + p.Token},
			"options": map[string]any{
				"disableNameSuffixHash": true,
				"labels": map[string]string{
					LabelManagedBy: ManagedBy, LabelName: AppName, LabelDesktop: p.Name,
				},
			},
		}}
	}
	return sigsyaml.Marshal(k)
}

// decode splits a YAML stream into objects.
func decode(b []byte) ([]*unstructured.Unstructured, error) {
	dec := yaml.NewYAMLOrJSONDecoder(bytes.NewReader(b), 4096)
	var out []*unstructured.Unstructured
	for {
		u := &unstructured.Unstructured{}
		if err := dec.Decode(u); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, fmt.Errorf("decode rendered manifests: %w", err)
		}
		if len(u.Object) > 0 {
			out = append(out, u)
		}
	}
}
