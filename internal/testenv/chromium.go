package testenv

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/mvm-dev/mvm/internal/exec"
)

// Browser is a headless Chromium driven through its DevTools protocol, for
// end-to-end tests that must see what a user's browser sees.
type Browser struct {
	t       testing.TB
	ws      *websocket.Conn
	session string
	nextID  atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan cdpReply
}

type cdpReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Message string `json:"message"`
	} `json:"error"`
}

// NewBrowser starts Debian's chromium with a fresh profile and opens one
// page. The browser stops when the test ends.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	Require(t, Chromium)
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("MVM_E2E enables chromium, but it is not installed (apt-get install chromium): %v", err)
	}

	profile := t.TempDir()
	p, err := exec.Start(context.Background(), exec.Cmd{Args: []string{bin,
		"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--window-size=1280,900", "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Stop(5 * time.Second) })

	b := &Browser{t: t, pending: map[int64]chan cdpReply{}}
	b.connect(devToolsURL(t, profile, p))
	return b
}

// devToolsURL waits for Chromium to write the port it listens on.
func devToolsURL(t testing.TB, profile string, p *exec.Process) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) && !p.Exited() {
		b, err := os.ReadFile(filepath.Join(profile, "DevToolsActivePort"))
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); err == nil && len(lines) == 2 {
			return "ws://127.0.0.1:" + lines[0] + lines[1]
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("chromium did not open its DevTools port")
	return ""
}

func (b *Browser) connect(url string) {
	ctx := context.Background()
	ws, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		b.t.Fatalf("connect to chromium: %v", err)
	}
	ws.SetReadLimit(64 << 20)
	b.ws = ws
	b.t.Cleanup(func() { ws.CloseNow() })
	go b.readLoop()

	var target struct {
		TargetID string `json:"targetId"`
	}
	b.call("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	b.call("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &attached)
	b.session = attached.SessionID
	b.call("Page.enable", nil, nil)
}

func (b *Browser) readLoop() {
	for {
		_, data, err := b.ws.Read(context.Background())
		if err != nil {
			return
		}
		var msg struct {
			ID int64 `json:"id"`
			cdpReply
		}
		if json.Unmarshal(data, &msg) != nil || msg.ID == 0 {
			continue
		}
		b.mu.Lock()
		ch := b.pending[msg.ID]
		delete(b.pending, msg.ID)
		b.mu.Unlock()
		if ch != nil {
			ch <- msg.cdpReply
		}
	}
}

// call sends one DevTools command and decodes its result into out.
func (b *Browser) call(method string, params any, out any) {
	b.t.Helper()
	id := b.nextID.Add(1)
	ch := make(chan cdpReply, 1)
	b.mu.Lock()
	b.pending[id] = ch
	b.mu.Unlock()

	req := map[string]any{"id": id, "method": method, "params": params}
	if b.session != "" {
		req["sessionId"] = b.session
	}
	data, _ := json.Marshal(req)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := b.ws.Write(ctx, websocket.MessageText, data); err != nil {
		b.t.Fatalf("%s: %v", method, err)
	}
	select {
	case r := <-ch:
		if r.Error != nil {
			b.t.Fatalf("%s: %s", method, r.Error.Message)
		}
		if out != nil {
			if err := json.Unmarshal(r.Result, out); err != nil {
				b.t.Fatalf("%s: decode result: %v", method, err)
			}
		}
	case <-ctx.Done():
		b.t.Fatalf("%s: no answer from chromium", method)
	}
}

// Navigate opens url in the page.
func (b *Browser) Navigate(url string) {
	b.t.Helper()
	b.call("Page.navigate", map[string]any{"url": url}, nil)
}

// Eval evaluates a JavaScript expression in the page and returns its value
// as JSON.
func (b *Browser) Eval(expr string) json.RawMessage {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true, "awaitPromise": true}, &res)
	if res.Exception != nil {
		b.t.Fatalf("evaluate %q: %s", expr, res.Exception.Text)
	}
	return res.Result.Value
}

// WaitFor evaluates a boolean expression until it is true or limit passes.
func (b *Browser) WaitFor(expr string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if string(b.Eval(expr)) == "true" {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s was not true within %s", expr, limit)
}

// Screenshot returns a PNG of the page.
func (b *Browser) Screenshot() []byte {
	b.t.Helper()
	var res struct {
		Data string `json:"data"`
	}
	b.call("Page.captureScreenshot", map[string]any{"format": "png"}, &res)
	png, err := base64.StdEncoding.DecodeString(res.Data)
	if err != nil {
		b.t.Fatal(err)
	}
	return png
}
