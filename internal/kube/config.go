package kube

import (
	"errors"
	"fmt"
	"os"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
)

// ConfigFromKubeconfig builds a client configuration from a context of a
// kubeconfig: path, else $KUBECONFIG, else ~/.kube/config; an empty context
// means the file's current context.
func ConfigFromKubeconfig(path, context string) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if path != "" {
		rules.ExplicitPath = path
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: context}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)

	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, kubeconfigError(rules, context, err)
	}
	return tune(cfg), nil
}

// CheckKubeconfig reports a kubeconfig that exists but cannot be read, before
// a tool that would merge a new context into it (kind, minikube) creates
// anything. A missing kubeconfig is fine: those tools create it.
func CheckKubeconfig(path string) error {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if path != "" {
		rules.ExplicitPath = path
	}
	for _, p := range rules.GetLoadingPrecedence() {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if _, err := clientcmd.LoadFromFile(p); err != nil {
			return fmt.Errorf("kubeconfig %s cannot be read, fix or move it (or point KUBECONFIG elsewhere): %w", p, err)
		}
	}
	return nil
}

func kubeconfigError(rules *clientcmd.ClientConfigLoadingRules, context string, err error) error {
	files := rules.GetLoadingPrecedence()
	if clientcmd.IsEmptyConfig(err) {
		return fmt.Errorf("no kubeconfig with context %q in %v", context, files)
	}
	if context != "" {
		return fmt.Errorf("kube context %q from %v: %w", context, files, err)
	}
	return fmt.Errorf("kubeconfig %v: %w", files, err)
}

// ConfigFromToken builds a client configuration for a cluster reached at
// endpoint (an https URL or a host), trusting the CA certificate caPEM and
// presenting a bearer token, as for GKE, whose Terraform outputs give the
// endpoint and the CA.
func ConfigFromToken(endpoint string, caPEM []byte, token string) (*rest.Config, error) {
	if endpoint == "" || len(caPEM) == 0 || token == "" {
		return nil, errors.New("a cluster endpoint, its CA certificate and a token are all needed")
	}
	return tune(&rest.Config{
		Host:            endpoint,
		BearerToken:     token,
		TLSClientConfig: rest.TLSClientConfig{CAData: caPEM},
	}), nil
}

// tune names mvm to the API server and lifts client-go's default rate limit
// (5 requests a second), which would make a rollout watch and its
// diagnostics wait on the client rather than on the cluster.
func tune(cfg *rest.Config) *rest.Config {
	cfg.UserAgent = "mvm"
	cfg.QPS = 50
	cfg.Burst = 100
	return cfg
}
