package manifests

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"

	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/mvm-dev/mvm/internal/agent"
	"github.com/mvm-dev/mvm/internal/desktop"
)

// Overlay names the target a rendering is for.
type Overlay string

// The overlays, one per directory under overlays/.
const (
	Kind     Overlay = "kind"
	Minikube Overlay = "minikube"
	GKE      Overlay = "gke"
)

// Params describe one desktop to render.
type Params struct {
	// Overlay is the target.
	Overlay Overlay
	// Name is the desktop's name (see [desktop.ValidateName]).
	Name string
	// Namespace holds the desktop; empty means "mvm".
	Namespace string
	// Image is the desktop image reference.
	Image string
	// Token, when set, renders the Secret mvm-NAME-token holding it. Empty
	// leaves the Secret out: it must then exist in the namespace.
	Token string
	// Resolution is the initial screen size, WxH; empty means the agent's
	// default.
	Resolution string
	// Persist keeps the home on a PersistentVolumeClaim, mvm-NAME-home.
	Persist bool
	// HomeSize is the size of that claim; zero means 10Gi.
	HomeSize resource.Quantity
	// CPU and Memory are the container's requests and limits.
	CPU, Memory Resources
	// NodePort is the Service's port on the nodes (kind and minikube only).
	NodePort int32
	// Domain, on GKE, adds an HTTPS Ingress for that domain; empty keeps the
	// desktop private to the cluster.
	Domain string
	// StaticIPName is the global static IP address the Ingress uses; empty
	// means "mvm-ingress".
	StaticIPName string
}

// Resources are a request and a limit of one resource.
type Resources struct {
	Request, Limit resource.Quantity
}

// Same is a request equal to its limit, the shape GKE Autopilot keeps as is.
func Same(q resource.Quantity) Resources { return Resources{Request: q, Limit: q} }

// DeploymentName names the desktop's Deployment and its Service, as mvm's
// Kubernetes contract fixes them.
func DeploymentName(name string) string { return "mvm-" + name }

// SecretName is the desktop's token Secret; its key "token" holds the token.
func SecretName(name string) string { return "mvm-" + name + "-token" }

// HomeClaimName is the desktop's persistent home.
func HomeClaimName(name string) string { return "mvm-" + name + "-home" }

// Labels on every object of a desktop.
const (
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelName      = "app.kubernetes.io/name"
	LabelDesktop   = "mvm.dev/desktop"
	ManagedBy      = "mvm"
	AppName        = "mvm-desktop"
)

// DefaultNamespace is where desktops go unless told otherwise.
const DefaultNamespace = "mvm"

// Selector selects every object of one desktop made by mvm.
func Selector(name string) string {
	return LabelManagedBy + "=" + ManagedBy + "," + LabelDesktop + "=" + name
}

var (
	namespaceRE = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)
	domainRE    = regexp.MustCompile(`^([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// withDefaults checks p and fills in its defaults.
func (p Params) withDefaults() (Params, error) {
	if p.Namespace == "" {
		p.Namespace = DefaultNamespace
	}
	if p.Resolution == "" {
		p.Resolution = agent.DefaultResolution
	}
	if p.HomeSize.IsZero() {
		p.HomeSize = resource.MustParse("10Gi")
	}
	if p.StaticIPName == "" {
		p.StaticIPName = "mvm-ingress"
	}
	if p.CPU.Request.IsZero() && p.CPU.Limit.IsZero() {
		p.CPU = Same(*resource.NewMilliQuantity(int64(desktop.DefaultCPUs*1000), resource.DecimalSI))
	}
	if p.Memory.Request.IsZero() && p.Memory.Limit.IsZero() {
		p.Memory = Same(*resource.NewQuantity(desktop.DefaultMemory, resource.BinarySI))
	}
	return p, p.check()
}

func (p Params) check() error {
	if err := desktop.ValidateName(p.Name); err != nil {
		return err
	}
	if !namespaceRE.MatchString(p.Namespace) {
		return fmt.Errorf("invalid namespace %q: use lowercase letters, digits and inner dashes", p.Namespace)
	}
	if p.Image == "" {
		return fmt.Errorf("no image given for desktop %s", p.Name)
	}
	if _, _, err := agent.ParseResolution(p.Resolution); err != nil {
		return err
	}
	if p.Token != "" && len(p.Token) < 16 {
		return fmt.Errorf("the token of desktop %s is shorter than 16 characters", p.Name)
	}
	if err := checkResources("cpu", p.CPU); err != nil {
		return err
	}
	if err := checkResources("memory", p.Memory); err != nil {
		return err
	}
	return p.checkOverlay()
}

func checkResources(what string, r Resources) error {
	if r.Request.Sign() <= 0 || r.Limit.Sign() <= 0 {
		return fmt.Errorf("the %s request and limit must be positive", what)
	}
	if r.Request.Cmp(r.Limit) > 0 {
		return fmt.Errorf("the %s request %s is above its limit %s", what, r.Request.String(), r.Limit.String())
	}
	return nil
}

func (p Params) checkOverlay() error {
	switch p.Overlay {
	case Kind, Minikube:
		if p.NodePort < 30000 || p.NodePort > 32767 {
			return fmt.Errorf("node port %d of desktop %s is outside 30000-32767", p.NodePort, p.Name)
		}
		if p.Domain != "" {
			return fmt.Errorf("a domain is for GKE only, not %s", p.Overlay)
		}
	case GKE:
		if p.Domain != "" && !domainRE.MatchString(p.Domain) {
			return fmt.Errorf("invalid domain %q: give a DNS name such as desktop.example.com", p.Domain)
		}
	default:
		return fmt.Errorf("unknown overlay %q: use %s, %s or %s", p.Overlay, Kind, Minikube, GKE)
	}
	return nil
}

// tokenDigest is a short digest of the token, put on the pod template so that
// a new token restarts the agent, which reads its token once.
func tokenDigest(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}
