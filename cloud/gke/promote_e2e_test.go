package gke_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	dockerimage "github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/mvm-dev/mvm/cloud/gke"
	"github.com/mvm-dev/mvm/image"
	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/internal/log"
	"github.com/mvm-dev/mvm/internal/probe"
	"github.com/mvm-dev/mvm/internal/testenv"
	"github.com/mvm-dev/mvm/internal/testenv/standin"
	"github.com/mvm-dev/mvm/manifests"
)

// promoteNS keeps the test's desktop apart from others on a shared cluster.
const promoteNS = "mvm-promote-e2e"

// TestPromoteOnStandIn runs the whole promote flow for real against the
// stand-in target: terraform applies the stand-in module, the Docker Engine
// pushes the desktop image with the token to a real registry on 127.0.0.1,
// the shared applier applies the gke overlay to a Kind cluster with the
// token as a bearer token, the node pulls the image from the registry, and
// the first-frame probe runs through a port-forward. A second promote
// changes nothing; a third adds a domain, and with it the address and the
// HTTPS Ingress; the teardown removes everything.
func TestPromoteOnStandIn(t *testing.T) {
	testenv.Require(t, testenv.Kind)
	dc := testenv.DockerClient(t)
	img := testenv.DesktopImage(t, dc, image.Slim)
	k := standin.KindCluster(t)
	reg := standin.StartRegistry(t, k.Token, k.Gateway)
	k.TrustRegistry(t, reg.Addr, "http://"+reg.NodeAddr)

	var logs syncBuffer
	e := newEnv(t, "GOOGLE_OAUTH_ACCESS_TOKEN="+k.Token)
	e.opts.Logger = log.New(&logs, log.Options{Verbosity: 2})
	target := gke.Target{
		Project: "mvm-e2e-test", Region: "europe-west1", Name: "promote", ModuleDir: standin.ModuleDir(),
		Vars: map[string]any{
			"cluster_endpoint": k.Endpoint, "cluster_ca_certificate": k.CA,
			"repository_url": reg.Addr + "/mvm",
		},
	}
	token, err := desktop.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	opts := gke.PromoteOptions{
		Desktop: manifests.Params{
			Name: "promote", Namespace: promoteNS, Token: token,
			// Small requests: the cluster may be shared with other desktops.
			CPU:    manifests.Resources{Request: resource.MustParse("50m"), Limit: resource.MustParse("1")},
			Memory: manifests.Same(resource.MustParse("384Mi")),
		},
		Image: img.Ref, Engine: dc, ReadyTimeout: 5 * time.Minute,
	}
	t.Cleanup(func() { t.Log(logs.String()) })

	res := promote(t, e, target, opts, "+2 ~0 -0\n    + terraform_data.cluster\n    + terraform_data.repository")
	t.Cleanup(func() { untag(t, dc, res.Image) })
	checkPushed(t, reg, res.Image, img.Ref)
	checkDeployed(t, k, res.Image)
	checkProbe(t, res.URL, token)
	res.Forward.Close()
	t.Logf("first promote: %s", res.Timer.Summary())

	res = promote(t, e, target, opts, "+0 ~0 -0 (no changes)")
	checkProbe(t, res.URL, token)
	res.Forward.Close()
	t.Logf("second promote: %s", res.Timer.Summary())

	target.Domain = "desktop.example.com"
	res = promote(t, e, target, opts, "+1 ~0 -0\n    + terraform_data.ingress[0]")
	res.Forward.Close()
	checkIngress(t, k, res)

	teardown(t, e, target)
	checkGone(t, k)
	if strings.Contains(logs.String(), token) {
		t.Error("the desktop's token appears in mvm's output")
	}
}

// promote runs Promote in a new Infra, as a new mvm process would.
func promote(t *testing.T, e env, target gke.Target, o gke.PromoteOptions, plan string) *gke.Result {
	t.Helper()

	in, err := gke.Prepare(t.Context(), target, e.opts)
	if err != nil {
		t.Fatal(err)
	}
	var asked *gke.Summary
	o.Confirm = func(s *gke.Summary) error { asked = s; return nil }
	res, err := in.Promote(t.Context(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Summary.String(); got != plan {
		t.Errorf("plan = %q, want %q", got, plan)
	}
	if res.Summary.Empty() != (asked == nil) {
		t.Errorf("confirmation asked for %v; want it asked exactly when the plan changes something", asked)
	}
	return res
}

// checkPushed checks that the image went to the registry under its tag,
// with the token, pinned to the registry's digest.
func checkPushed(t *testing.T, reg *standin.Registry, pushed, local string) {
	t.Helper()

	tag := local[strings.LastIndex(local, ":")+1:]
	want := reg.Addr + "/mvm/desktop:" + tag + "@sha256:"
	if !strings.HasPrefix(pushed, want) {
		t.Errorf("pushed %s, want %s…", pushed, want)
	}
	if reg.Pushes() == 0 {
		t.Error("the registry saw no authenticated upload")
	}
	digest := pushed[strings.Index(pushed, "@")+1:]
	resp, err := http.Head("http://" + reg.NodeAddr + "/v2/mvm/desktop/manifests/" + digest)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the registry answers %s for the pushed manifest", resp.Status)
	}
}

// checkDeployed checks what the gke overlay made: the pushed image, a
// Service with no public endpoint, and a WebSocket-long backend timeout.
func checkDeployed(t *testing.T, k *standin.Kind, pushed string) {
	t.Helper()
	ctx := t.Context()

	d, err := k.Admin.AppsV1().Deployments(promoteNS).Get(ctx, "mvm-promote", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Spec.Template.Spec.Containers[0].Image; got != pushed {
		t.Errorf("deployment runs %s, want %s", got, pushed)
	}
	svc, err := k.Admin.CoreV1().Services(promoteNS).Get(ctx, "mvm-promote", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if svc.Spec.Type != "ClusterIP" {
		t.Errorf("service type %s, want ClusterIP: nothing public without a domain", svc.Spec.Type)
	}
	raw, err := k.Admin.CoreV1().RESTClient().Get().
		AbsPath("/apis/cloud.google.com/v1/namespaces", promoteNS, "backendconfigs", "mvm-promote").DoRaw(ctx)
	var bc struct {
		Spec struct {
			TimeoutSec int `json:"timeoutSec"`
		} `json:"spec"`
	}
	if err == nil {
		err = json.Unmarshal(raw, &bc)
	}
	if err != nil || bc.Spec.TimeoutSec < 3600 {
		t.Errorf("backend timeout %ds (%v), want at least an hour for WebSockets", bc.Spec.TimeoutSec, err)
	}
}

// checkIngress checks the HTTPS exposure that a domain adds: an Ingress on
// the module's address with a managed certificate for the domain, and the
// URL on that domain.
func checkIngress(t *testing.T, k *standin.Kind, res *gke.Result) {
	t.Helper()

	if res.URL != "https://desktop.example.com" || res.Outputs.IngressIP != "127.0.0.1" {
		t.Errorf("URL %s, ingress address %q; want the domain over HTTPS and the module's address",
			res.URL, res.Outputs.IngressIP)
	}
	ing, err := k.Admin.NetworkingV1().Ingresses(promoteNS).Get(t.Context(), "mvm-promote", metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"kubernetes.io/ingress.global-static-ip-name": "promote-ingress",
		"networking.gke.io/managed-certificates":      "mvm-promote",
	}
	for k, v := range want {
		if got := ing.Annotations[k]; got != v {
			t.Errorf("Ingress annotation %s = %q, want %q", k, got, v)
		}
	}
	raw, err := k.Admin.CoreV1().RESTClient().Get().AbsPath("/apis/networking.gke.io/v1/namespaces",
		promoteNS, "managedcertificates", "mvm-promote").DoRaw(t.Context())
	if err != nil || !strings.Contains(string(raw), `"desktop.example.com"`) {
		t.Errorf("managed certificate %s (%v), want one for the domain", raw, err)
	}
}

// checkProbe proves the URL serves the desktop with the token, and only
// with it.
func checkProbe(t *testing.T, url, token string) {
	t.Helper()

	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if _, err := probe.FirstFrame(ctx, url, token); err != nil {
		t.Errorf("first frame from %s: %v", url, err)
	}
	if _, err := probe.FirstFrame(ctx, url, "wrong-token"); !probe.IsRefused(err) {
		t.Errorf("first frame with a wrong token: %v, want a refusal", err)
	}
}

func teardown(t *testing.T, e env, target gke.Target) {
	t.Helper()

	in, err := gke.Prepare(t.Context(), target, e.opts)
	if err != nil {
		t.Fatal(err)
	}
	s, err := in.Teardown(t.Context(), gke.TeardownOptions{Namespace: promoteNS})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.Counts(), "+0 ~0 -3"; got != want {
		t.Errorf("teardown plan %s, want %s", got, want)
	}
	if _, err := in.Outputs(t.Context()); err == nil {
		t.Error("outputs remain after the teardown")
	}

	s, err = in.Teardown(t.Context(), gke.TeardownOptions{Namespace: promoteNS})
	if err != nil || !s.Empty() {
		t.Errorf("second teardown = %v, %v; want nothing to do", s, err)
	}
}

// checkGone fails unless the namespace is gone.
func checkGone(t *testing.T, k *standin.Kind) {
	t.Helper()

	_, err := k.Admin.CoreV1().Namespaces().Get(t.Context(), promoteNS, metav1.GetOptions{})
	if !apierrors.IsNotFound(err) {
		t.Errorf("namespace %s after the teardown: %v", promoteNS, err)
	}
}

// syncBuffer collects the logger's output from several goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// untag removes the registry's name for the image from the engine.
func untag(t *testing.T, dc *client.Client, pushed string) {
	ref, _, _ := strings.Cut(pushed, "@")
	if _, err := dc.ImageRemove(context.Background(), ref, dockerimage.RemoveOptions{}); err != nil {
		t.Errorf("untag %s: %v", ref, err)
	}
}
