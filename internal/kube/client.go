package kube

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
)

// Client talks to one cluster.
type Client struct {
	config *rest.Config
	cs     kubernetes.Interface
	dyn    dynamic.Interface
	mapper meta.ResettableRESTMapper
}

// connectTimeout bounds the first request, so that an API server that is
// down or unreachable is one clear error rather than a long hang.
const connectTimeout = 10 * time.Second

// Connect makes a client for the cluster of cfg and checks that its API
// server answers. A cfg that sets no rate limit gets mvm's (see tune)
// instead of client-go's 5 requests a second.
func Connect(ctx context.Context, cfg *rest.Config) (*Client, error) {
	if cfg.QPS == 0 && cfg.RateLimiter == nil {
		cfg = tune(rest.CopyConfig(cfg))
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	c := &Client{
		config: cfg,
		cs:     cs,
		dyn:    dyn,
		mapper: restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(cs.Discovery())),
	}
	return c, c.ping(ctx)
}

func (c *Client) ping(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, connectTimeout)
	defer cancel()

	err := c.cs.Discovery().RESTClient().Get().AbsPath("/version").Do(ctx).Error()
	switch {
	case err == nil:
		return nil
	case parent.Err() != nil:
		return parent.Err()
	case ctx.Err() != nil:
		return fmt.Errorf("the Kubernetes API server at %s did not answer within %s", c.config.Host, connectTimeout)
	default:
		return fmt.Errorf("the Kubernetes API server at %s does not answer: %w", c.config.Host, err)
	}
}

// Config is the client's configuration.
func (c *Client) Config() *rest.Config { return c.config }

// Clientset is the typed client, for what the applier does not cover.
func (c *Client) Clientset() kubernetes.Interface { return c.cs }
