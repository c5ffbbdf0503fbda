package gke

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/transport/spdy"

	"github.com/mvm-dev/mvm/internal/desktop"
	"github.com/mvm-dev/mvm/manifests"
)

// Forward is a port-forward from 127.0.0.1 to the desktop's pod through the
// cluster's API server: the private way to the desktop, authenticated by the
// user's Google identity, with nothing exposed publicly.
type Forward struct {
	// URL is http://127.0.0.1:PORT, the desktop's address while the forward
	// is open.
	URL  string
	pf   *portforward.PortForwarder
	stop context.CancelFunc
	done chan error
}

// Close stops forwarding and waits until it has stopped.
func (f *Forward) Close() {
	f.stop()
	<-f.done
}

// Done is closed, after sending the reason if any, when forwarding stops.
func (f *Forward) Done() <-chan error { return f.done }

// forward opens a port-forward from a free port on 127.0.0.1 to the agent's
// port of the desktop's ready pod.
func forward(ctx context.Context, cfg *rest.Config, cs kubernetes.Interface, ns, name string) (*Forward, error) {
	pod, err := readyPod(ctx, cs, ns, name)
	if err != nil {
		return nil, err
	}
	transport, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		return nil, fmt.Errorf("port-forward to %s: %w", pod, err)
	}
	u, err := url.Parse(cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).
		SubResource("portforward").URL().String())
	if err != nil {
		return nil, err
	}
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: transport}, http.MethodPost, u)

	ports := []string{"0:" + strconv.Itoa(desktop.Port)}
	ready := make(chan struct{})
	// The forward outlives ctx, which bounds only its start: it stops when
	// closed.
	fctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	pf, err := portforward.NewOnAddressesWithContext(fctx, dialer,
		[]string{"127.0.0.1"}, ports, ready, io.Discard, io.Discard)
	if err != nil {
		stop()
		return nil, fmt.Errorf("port-forward to %s: %w", pod, err)
	}
	return start(ctx, &Forward{pf: pf, stop: stop, done: make(chan error, 1)}, ready, pod)
}

// start runs the forward and waits until it listens.
func start(ctx context.Context, f *Forward, ready chan struct{}, pod string) (*Forward, error) {
	pf := f.pf
	go func() {
		f.done <- pf.ForwardPorts()
		close(f.done)
	}()

	select {
	case <-ready:
	case err := <-f.done:
		f.stop()
		return nil, fmt.Errorf("port-forward to %s: %w", pod, err)
	case <-ctx.Done():
		f.Close()
		return nil, ctx.Err()
	}
	ports, err := pf.GetPorts()
	if err != nil || len(ports) == 0 {
		f.Close()
		return nil, fmt.Errorf("port-forward to %s: no local port: %w", pod, err)
	}
	f.URL = "http://127.0.0.1:" + strconv.Itoa(int(ports[0].Local))
	return f, nil
}

// readyPod finds the desktop's running, ready pod.
func readyPod(ctx context.Context, cs kubernetes.Interface, ns, name string) (string, error) {
	pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{LabelSelector: manifests.Selector(name)})
	if err != nil {
		return "", fmt.Errorf("list the pods of desktop %s: %w", name, err)
	}
	for _, p := range pods.Items {
		if p.DeletionTimestamp == nil && podReady(&p) {
			return p.Name, nil
		}
	}
	return "", errors.New("desktop " + name + " has no ready pod")
}

func podReady(p *corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}
