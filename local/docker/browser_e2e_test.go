package docker_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mvm-dev/mvm/internal/testenv"
)

// canvasColours counts the distinct colours noVNC drew on its canvas,
// sampling every 7th pixel; the page's own script cannot read the cookie, so
// only what is drawn is checked.
const canvasColours = `(() => {
  const c = document.querySelector('#noVNC_container canvas');
  if (!c || c.width < 2) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let i = 0; i < d.length; i += 28) seen.add((d[i] << 16) | (d[i+1] << 8) | d[i+2]);
  return seen.size;
})()`

func TestBrowserShowsTheDesktop(t *testing.T) {
	b := testenv.NewBrowser(t)
	e := newEnv(t)
	name := "e2e-browser"
	e.removeAtEnd(t, name)

	res, err := e.up(t, context.Background(), name, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.Navigate(res.URL())

	connected := `(document.getElementById('noVNC_status') || {}).textContent || ''`
	if err := b.WaitFor(`(`+connected+`).startsWith('Connected')`, 30*time.Second); err != nil {
		t.Fatalf("noVNC did not connect: status %s", b.Eval(connected))
	}
	if err := b.WaitFor(canvasColours+` > 3`, 30*time.Second); err != nil {
		t.Fatalf("the desktop was not drawn: %d colours on the canvas", count(b.Eval(canvasColours)))
	}

	var href, cookies string
	_ = json.Unmarshal(b.Eval(`location.href`), &href)
	_ = json.Unmarshal(b.Eval(`document.cookie`), &cookies)
	if strings.Contains(href, res.Token) {
		t.Errorf("the token stayed in the address bar: %s", href)
	}
	if strings.Contains(cookies, res.Token) {
		t.Error("the token cookie is readable by scripts; it must be HttpOnly")
	}

	png := b.Screenshot()
	out := filepath.Join(t.TempDir(), "desktop.png")
	if dir := os.Getenv("MVM_SCREENSHOT_DIR"); dir != "" {
		out = filepath.Join(dir, "desktop.png")
	}
	if err := os.WriteFile(out, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("noVNC connected and drew %d colours; screenshot in %s", count(b.Eval(canvasColours)), out)
}

func count(raw json.RawMessage) int {
	var n int
	_ = json.Unmarshal(raw, &n)
	return n
}
