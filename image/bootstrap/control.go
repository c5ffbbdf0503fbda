package bootstrap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxControlLine bounds one line of a control file; Debian's longest lines
// (Provides of a few packages) are far shorter.
const maxControlLine = 1 << 20

// field is one "Name: value" entry of a control paragraph. A multi-line value
// keeps its continuation lines, without their leading space, after "\n".
type field struct {
	name  string
	value string
}

// paragraph is one stanza of a Debian control file (deb822), such as one
// package of a Packages index or the body of a Release file.
type paragraph []field

// get returns the value of the named field, matched case-insensitively as
// Debian policy requires, or "" when the paragraph lacks it.
func (p paragraph) get(name string) string {
	for _, f := range p {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return ""
}

// controlReader reads the paragraphs of a control file one at a time, so
// that a 50 MB Packages index is never held whole in memory.
type controlReader struct {
	sc   *bufio.Scanner
	line int
}

func newControlReader(r io.Reader) *controlReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), maxControlLine)
	return &controlReader{sc: sc}
}

// next returns the next paragraph, or io.EOF after the last one.
func (c *controlReader) next() (paragraph, error) {
	var p paragraph
	for c.sc.Scan() {
		c.line++
		line := c.sc.Text()

		switch {
		case strings.TrimSpace(line) == "":
			if len(p) > 0 {
				return p, nil
			}
		case strings.HasPrefix(line, "#"):
			// deb822 allows comment lines; Debian's indexes have none.
		case line[0] == ' ' || line[0] == '\t':
			if len(p) == 0 {
				return nil, fmt.Errorf("line %d: continuation line outside a field", c.line)
			}
			p[len(p)-1].value += "\n" + strings.TrimSpace(line)
		default:
			f, err := parseFieldLine(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", c.line, err)
			}
			p = append(p, f)
		}
	}
	if err := c.sc.Err(); err != nil {
		return nil, fmt.Errorf("line %d: %w", c.line+1, err)
	}
	if len(p) > 0 {
		return p, nil
	}
	return nil, io.EOF
}

func parseFieldLine(line string) (field, error) {
	name, value, ok := strings.Cut(line, ":")
	if !ok || name == "" || strings.ContainsAny(name, " \t") {
		return field{}, errors.New("expected a field of the form Name: value")
	}
	return field{name: name, value: strings.TrimSpace(value)}, nil
}

// lines splits a multi-line field value into its non-empty lines.
func lines(value string) []string {
	var out []string
	for _, l := range strings.Split(value, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
