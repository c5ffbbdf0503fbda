package agent

import (
	"os"
	"path/filepath"
	"strings"
)

// lookPath finds a program on PATH the way a shell would. It lives here rather
// than in os/exec's LookPath because the agent starts processes with
// os.StartProcess, which does not search PATH.
func lookPath(name string) string {
	if strings.Contains(name, "/") {
		return name
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return name
}
