package image

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/mvm-dev/mvm/internal/log"
)

// message is one JSON object of the engine's build, pull or import stream.
type message struct {
	Stream      string `json:"stream"`
	Status      string `json:"status"`
	Progress    string `json:"progress"`
	Error       string `json:"error"`
	ErrorDetail *struct {
		Message string `json:"message"`
	} `json:"errorDetail"`
}

// readMessages reads the engine's JSON message stream until it ends, passing
// each text line to onLine and to full, and returns the error the stream
// reports, if any.
func readMessages(r io.Reader, onLine func(string), full io.Writer) error {
	dec := json.NewDecoder(r)
	for {
		var m message
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read the engine's progress: %w", err)
		}
		if m.Error != "" {
			return errors.New(strings.TrimSpace(m.Error))
		}

		text := m.Stream
		if text == "" && m.Status != "" {
			text = strings.TrimSpace(m.Status+" "+m.Progress) + "\n"
		}
		if text == "" {
			continue
		}
		_, _ = io.WriteString(full, text)
		if onLine != nil {
			for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
				onLine(l)
			}
		}
	}
}

// buildProgress turns the builder's output into a compact "step 4/12: RUN …"
// detail on the step line, and keeps the last lines for an error message.
type buildProgress struct {
	step *log.Step
	full io.Writer
	last []string
}

var stepLine = regexp.MustCompile(`^Step (\d+/\d+) : (.*)$`)

const tailLines = 15

func (p *buildProgress) line(l string) {
	l = strings.TrimRight(l, "\r")
	if strings.TrimSpace(l) == "" {
		return
	}
	p.last = append(p.last, l)
	if len(p.last) > tailLines {
		p.last = p.last[1:]
	}
	if m := stepLine.FindStringSubmatch(l); m != nil {
		p.step.Update("step " + m[1] + ": " + shorten(m[2], 60))
	}
}

// tail is the end of the build output, for an error the user can act on.
func (p *buildProgress) tail() string {
	if len(p.last) == 0 {
		return ""
	}
	return "\n    " + strings.Join(p.last, "\n    ")
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	return s[:n-1] + "…"
}
