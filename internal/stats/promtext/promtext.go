// Package promtext reads the Prometheus text exposition format (version
// 0.0.4), the format of a desktop agent's /metrics. It is a package of its
// own so that it can be fuzzed without building what reads the targets.
package promtext

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Sample is one line of the Prometheus text format: a metric, its labels, its
// value and, when the line has one, its timestamp in milliseconds.
type Sample struct {
	Name         string
	Labels       []Label
	Value        float64
	Timestamp    int64
	HasTimestamp bool
}

// Label is one name="value" pair of a sample, unescaped.
type Label struct {
	Name, Value string
}

// Parse reads the Prometheus text exposition format (version 0.0.4), the
// format of the agent's /metrics. HELP, TYPE and other comment lines are
// skipped: callers know which metrics they want and what they mean.
func Parse(text string) ([]Sample, error) {
	var out []Sample
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimLeft(strings.TrimSuffix(line, "\r"), " \t")
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseSample(line)
		if err != nil {
			return nil, fmt.Errorf("metrics line %d: %w", n+1, err)
		}
		out = append(out, s)
	}
	return out, nil
}

// lexer walks one line.
type lexer struct {
	s   string
	pos int
}

func parseSample(line string) (Sample, error) {
	l := &lexer{s: line}
	var s Sample
	s.Name = l.name(true)
	if s.Name == "" {
		return s, fmt.Errorf("no metric name at %q", line)
	}
	gap := l.blanks()
	if l.peek() == '{' {
		labels, err := l.labels()
		if err != nil {
			return s, err
		}
		s.Labels = labels
		gap = l.blanks()
	}
	if gap == 0 {
		return s, fmt.Errorf("no blank before the value of %s", s.Name)
	}
	return s, l.valueAndTimestamp(&s)
}

func (l *lexer) peek() byte {
	if l.pos < len(l.s) {
		return l.s[l.pos]
	}
	return 0
}

// blanks skips spaces and tabs and says how many there were.
func (l *lexer) blanks() int {
	start := l.pos
	for l.pos < len(l.s) && (l.s[l.pos] == ' ' || l.s[l.pos] == '\t') {
		l.pos++
	}
	return l.pos - start
}

// name reads a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*) or, with colons off, a
// label name.
func (l *lexer) name(colons bool) string {
	start := l.pos
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		ok := c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' ||
			colons && c == ':' || l.pos > start && c >= '0' && c <= '9'
		if !ok {
			break
		}
		l.pos++
	}
	return l.s[start:l.pos]
}

// labels reads {name="value",...}, a trailing comma allowed.
func (l *lexer) labels() ([]Label, error) {
	l.pos++ // '{'
	var out []Label
	for {
		l.blanks()
		if l.peek() == '}' {
			l.pos++
			return out, nil
		}
		lb, err := l.label()
		if err != nil {
			return nil, err
		}
		out = append(out, lb)

		l.blanks()
		switch l.peek() {
		case ',':
			l.pos++
		case '}':
			l.pos++
			return out, nil
		default:
			return nil, fmt.Errorf("expected , or } after label %s", lb.Name)
		}
	}
}

func (l *lexer) label() (Label, error) {
	name := l.name(false)
	if name == "" {
		return Label{}, fmt.Errorf("bad label name at column %d", l.pos+1)
	}
	l.blanks()
	if l.peek() != '=' {
		return Label{}, fmt.Errorf("expected = after label %s", name)
	}
	l.pos++
	l.blanks()
	v, err := l.quoted()
	if err != nil {
		return Label{}, fmt.Errorf("label %s: %w", name, err)
	}
	return Label{Name: name, Value: v}, nil
}

// quoted reads a double-quoted label value with the escapes \\, \" and \n.
func (l *lexer) quoted() (string, error) {
	if l.peek() != '"' {
		return "", fmt.Errorf("value is not quoted")
	}
	l.pos++
	var b strings.Builder
	for l.pos < len(l.s) {
		c := l.s[l.pos]
		l.pos++
		switch c {
		case '"':
			return b.String(), nil
		case '\\':
			e, err := l.escape()
			if err != nil {
				return "", err
			}
			b.WriteByte(e)
		default:
			b.WriteByte(c)
		}
	}
	return "", fmt.Errorf("value is not closed")
}

func (l *lexer) escape() (byte, error) {
	if l.pos >= len(l.s) {
		return 0, fmt.Errorf("value is not closed")
	}
	c := l.s[l.pos]
	l.pos++
	switch c {
	case '\\', '"':
		return c, nil
	case 'n':
		return '\n', nil
	}
	return 0, fmt.Errorf("unknown escape \\%c", c)
}

func (l *lexer) valueAndTimestamp(s *Sample) error {
	v, err := strconv.ParseFloat(l.token(), 64)
	if err != nil {
		return fmt.Errorf("value of %s: %w", s.Name, err)
	}
	s.Value = v

	if l.blanks() == 0 || l.pos == len(l.s) {
		return l.end(s.Name)
	}
	ts, err := strconv.ParseInt(l.token(), 10, 64)
	if err != nil {
		return fmt.Errorf("timestamp of %s: %w", s.Name, err)
	}
	s.Timestamp, s.HasTimestamp = ts, true
	l.blanks()
	return l.end(s.Name)
}

func (l *lexer) token() string {
	start := l.pos
	for l.pos < len(l.s) && l.s[l.pos] != ' ' && l.s[l.pos] != '\t' {
		l.pos++
	}
	return l.s[start:l.pos]
}

func (l *lexer) end(name string) error {
	if l.pos != len(l.s) {
		return fmt.Errorf("unexpected %q after the value of %s", l.s[l.pos:], name)
	}
	return nil
}

// String writes the sample back in the text format.
func (s Sample) String() string {
	var b strings.Builder
	b.WriteString(s.Name)
	if len(s.Labels) > 0 {
		b.WriteByte('{')
		for i, lb := range s.Labels {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(lb.Name + `="` + escapeLabel(lb.Value) + `"`)
		}
		b.WriteByte('}')
	}
	b.WriteString(" " + formatValue(s.Value))
	if s.HasTimestamp {
		b.WriteString(" " + strconv.FormatInt(s.Timestamp, 10))
	}
	return b.String()
}

func escapeLabel(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
