package manifests

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// testToken is a made-up token; goldens must not change from run to run.
const testToken = "test-token-0123456789abcdef"

func params(o Overlay, mod func(*Params)) Params {
	p := Params{
		Overlay:    o,
		Name:       "team-1",
		Image:      "mvm.local/desktop:slim-0123456789ab",
		Token:      testToken,
		Resolution: "1920x1080",
		CPU:        Same(resource.MustParse("1500m")),
		Memory:     Same(resource.MustParse("2Gi")),
		NodePort:   30681,
	}
	if o == GKE {
		p.NodePort = 0
	}
	if mod != nil {
		mod(&p)
	}
	return p
}

func TestRenderGolden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    Params
	}{
		{"kind", params(Kind, nil)},
		{"kind-persist", params(Kind, func(p *Params) { p.Persist = true; p.Namespace = "desktops" })},
		{"minikube", params(Minikube, nil)},
		{"gke", params(GKE, func(p *Params) { p.Persist = true })},
		{"gke-domain", params(GKE, func(p *Params) {
			p.Domain = "desk.example.org"
			p.StaticIPName = "mvm-prod-ingress"
			p.CPU = Resources{Request: resource.MustParse("500m"), Limit: resource.MustParse("1")}
		})},
		{"gke-no-token", params(GKE, func(p *Params) { p.Token = "" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := RenderYAML(tt.p)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if d := cmp.Diff(string(want), string(got)); d != "" {
				t.Errorf("rendering differs from %s (-want +got):\n%s", golden, d)
			}
		})
	}
}

// TestContract checks every rendering against mvm's Kubernetes contract, so
// that a golden file cannot be updated into breaking it.
func TestContract(t *testing.T) {
	t.Parallel()
	for _, p := range []Params{
		params(Kind, nil),
		params(Kind, func(p *Params) { p.Persist = true }),
		params(Minikube, nil),
		params(GKE, func(p *Params) { p.Persist = true; p.Domain = "desk.example.org" }),
	} {
		objs, err := Render(p)
		if err != nil {
			t.Fatal(err)
		}
		checkContract(t, p, objs)
	}
}

func checkContract(t *testing.T, p Params, objs []*unstructured.Unstructured) {
	t.Helper()
	kinds := map[string]bool{}
	for _, k := range Kinds() {
		kinds[k.GroupKind().String()] = true
	}
	names := map[string]string{}
	for _, o := range objs {
		gk := o.GroupVersionKind().GroupKind().String()
		names[o.GetKind()] = o.GetName()
		if !kinds[gk] {
			t.Errorf("%s: kind %s is missing from Kinds(), so it would never be pruned", p.Overlay, gk)
		}
		want := map[string]string{LabelManagedBy: ManagedBy, LabelName: AppName, LabelDesktop: p.Name}
		for k, v := range want {
			if o.GetLabels()[k] != v {
				t.Errorf("%s %s: label %s = %q, want %q", p.Overlay, o.GetName(), k, o.GetLabels()[k], v)
			}
		}
		if o.GetNamespace() != "mvm" {
			t.Errorf("%s %s: namespace %q", p.Overlay, o.GetName(), o.GetNamespace())
		}
		if o.GetKind() == "DesktopParams" {
			t.Errorf("%s: the local parameters reached the output", p.Overlay)
		}
	}
	if names["Deployment"] != "mvm-team-1" || names["Service"] != "mvm-team-1" || names["Secret"] != "mvm-team-1-token" {
		t.Errorf("%s: names %v do not follow mvm-NAME, mvm-NAME-token", p.Overlay, names)
	}
	if p.Persist && names["PersistentVolumeClaim"] != "mvm-team-1-home" {
		t.Errorf("%s: no claim mvm-team-1-home in %v", p.Overlay, names)
	}
	checkPod(t, p, find(objs, "Deployment"))
}

func checkPod(t *testing.T, p Params, d *unstructured.Unstructured) {
	t.Helper()
	spec, _, _ := unstructured.NestedMap(d.Object, "spec", "template", "spec")
	c := spec["containers"].([]any)[0].(map[string]any)
	checks := []struct {
		what string
		got  any
		want any
	}{
		{"runAsNonRoot", dig(spec, "securityContext", "runAsNonRoot"), true},
		{"runAsUser", dig(spec, "securityContext", "runAsUser"), int64(1000)},
		{"seccomp", dig(spec, "securityContext", "seccompProfile", "type"), "RuntimeDefault"},
		{"privilege escalation", dig(c, "securityContext", "allowPrivilegeEscalation"), false},
		{"read-only root", dig(c, "securityContext", "readOnlyRootFilesystem"), true},
		{"capabilities", dig(c, "securityContext", "capabilities", "drop"), []any{"ALL"}},
		{"image", c["image"], p.Image},
		{"readiness", dig(c, "readinessProbe", "httpGet", "path"), "/healthz"},
		{"liveness", dig(c, "livenessProbe", "httpGet", "path"), "/healthz"},
		{"cpu limit", dig(c, "resources", "limits", "cpu"), p.CPU.Limit.String()},
		{"memory request", dig(c, "resources", "requests", "memory"), p.Memory.Request.String()},
		{"strategy", dig(d.Object, "spec", "strategy", "type"), "Recreate"},
		{"replicas", dig(d.Object, "spec", "replicas"), int64(1)},
	}
	for _, ck := range checks {
		if d := cmp.Diff(ck.want, ck.got); d != "" {
			t.Errorf("%s: %s (-want +got):\n%s", p.Overlay, ck.what, d)
		}
	}
	vols := map[string]map[string]any{}
	for _, v := range spec["volumes"].([]any) {
		vols[v.(map[string]any)["name"].(string)] = v.(map[string]any)
	}
	if dig(vols["shm"], "emptyDir", "medium") != "Memory" || dig(vols["shm"], "emptyDir", "sizeLimit") != "512Mi" {
		t.Errorf("%s: /dev/shm volume is %v", p.Overlay, vols["shm"])
	}
	if vols["tmp"]["emptyDir"] == nil {
		t.Errorf("%s: /tmp volume is %v", p.Overlay, vols["tmp"])
	}
	if p.Persist != (vols["home"]["persistentVolumeClaim"] != nil) {
		t.Errorf("%s: persist=%t but the home volume is %v", p.Overlay, p.Persist, vols["home"])
	}
}

func find(objs []*unstructured.Unstructured, kind string) *unstructured.Unstructured {
	for _, o := range objs {
		if o.GetKind() == kind {
			return o
		}
	}
	return nil
}

func dig(m map[string]any, path ...string) any {
	var v any = m
	for _, k := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

// TestByHand builds the overlays as they are on disk, the way
// `kubectl apply -k` does, and checks that they need nothing from mvm but
// the Secret.
func TestByHand(t *testing.T) {
	t.Parallel()
	for _, o := range []Overlay{Kind, Minikube, GKE} {
		m, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(),
			filepath.Join("overlays", string(o)))
		if err != nil {
			t.Fatalf("%s: %v", o, err)
		}
		b, err := m.AsYaml()
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		for _, want := range []string{"name: mvm-dev\n", "secretName: mvm-dev-token", "namespace: mvm\n"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s by hand: output lacks %q", o, want)
			}
		}
		if strings.Contains(s, "DesktopParams") || strings.Contains(s, "kind: Secret") {
			t.Errorf("%s by hand: output holds the parameters or a Secret:\n%s", o, s)
		}
	}
}

func TestRenderRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mod  func(*Params)
		want string
	}{
		{"bad name", func(p *Params) { p.Name = "Team_1" }, "invalid desktop name"},
		{"bad namespace", func(p *Params) { p.Namespace = "Kube System" }, "invalid namespace"},
		{"no image", func(p *Params) { p.Image = "" }, "no image"},
		{"short token", func(p *Params) { p.Token = "abc" }, "shorter than 16"},
		{"bad resolution", func(p *Params) { p.Resolution = "big" }, "WIDTHxHEIGHT"},
		{"node port low", func(p *Params) { p.NodePort = 8080 }, "outside 30000-32767"},
		{"request above limit", func(p *Params) {
			p.Memory = Resources{Request: resource.MustParse("2Gi"), Limit: resource.MustParse("1Gi")}
		}, "above its limit"},
		{"domain on kind", func(p *Params) { p.Domain = "a.example.org" }, "GKE only"},
		{"unknown overlay", func(p *Params) { p.Overlay = "eks" }, "unknown overlay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Render(params(Kind, tt.mod))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Render: error %v, want one saying %q", err, tt.want)
			}
		})
	}
}
