package log

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"golang.org/x/term"
)

// Logger writes human-facing output. The zero value is not usable; build one
// with [New] or [Discard]. A Logger is safe for concurrent use.
type Logger struct {
	mu        sync.Mutex
	w         io.Writer
	verbosity int
	quiet     bool
	fancy     bool
	color     bool
	live      *Step // the step whose spinner owns the current line, if any
}

// Options configure a [Logger].
type Options struct {
	// Verbosity is the number of -v flags given.
	Verbosity int
	// Quiet silences everything but errors.
	Quiet bool
	// NoColor turns colour off even on a capable terminal.
	NoColor bool
}

// New returns a Logger writing to w. Spinners and colour are used only when w
// is a terminal, TERM is not "dumb" and the process does not run in CI.
func New(w io.Writer, o Options) *Logger {
	fancy := isCapableTerminal(w)
	return &Logger{
		w:         w,
		verbosity: o.Verbosity,
		quiet:     o.Quiet,
		fancy:     fancy,
		color:     fancy && !o.NoColor && os.Getenv("NO_COLOR") == "",
	}
}

// Discard returns a Logger that prints nothing.
func Discard() *Logger {
	return &Logger{w: io.Discard, quiet: true}
}

func isCapableTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false
	}
	if os.Getenv("TERM") == "dumb" || os.Getenv("CI") != "" {
		return false
	}
	return true
}

// Warn prints a warning at V(0) unless the logger is quiet.
func (l *Logger) Warn(msg string) {
	if l.quiet {
		return
	}
	l.println(l.paint("33", "! ") + msg)
}

// Warnf formats and prints a warning.
func (l *Logger) Warnf(format string, args ...any) {
	l.Warn(fmt.Sprintf(format, args...))
}

// Error prints an error line. Errors are printed even when quiet.
func (l *Logger) Error(msg string) {
	l.println(l.paint("31", "ERROR: ") + msg)
}

// V returns a [Verbose] that prints only when at least n -v flags were given.
func (l *Logger) V(n int) Verbose {
	return Verbose{l: l, on: !l.quiet && l.verbosity >= n}
}

// Writer returns a writer whose lines are printed at verbosity n, indented, so
// that subprocess and daemon streams can be shown at V(2).
func (l *Logger) Writer(n int) io.Writer {
	if !l.V(n).Enabled() {
		return io.Discard
	}
	return &lineWriter{l: l, prefix: "    "}
}

// println writes one line, first clearing a live spinner line so that the two
// never interleave; the spinner redraws itself on its next tick.
func (l *Logger) println(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()

	if l.live != nil {
		fmt.Fprint(l.w, "\r\033[K")
	}
	fmt.Fprintln(l.w, s)
}

func (l *Logger) paint(code, s string) string {
	if !l.color {
		return s
	}
	return "\033[" + code + "m" + s + "\033[0m"
}

// Verbose prints only when its level is enabled.
type Verbose struct {
	l  *Logger
	on bool
}

// Enabled reports whether this level prints.
func (v Verbose) Enabled() bool { return v.on }

// Info prints msg when the level is enabled.
func (v Verbose) Info(msg string) {
	if v.on {
		v.l.println(msg)
	}
}

// Infof formats and prints when the level is enabled.
func (v Verbose) Infof(format string, args ...any) {
	if v.on {
		v.l.println(fmt.Sprintf(format, args...))
	}
}

// lineWriter turns a byte stream into indented lines on the logger.
type lineWriter struct {
	l      *Logger
	prefix string
	buf    []byte
	mu     sync.Mutex
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()

	w.buf = append(w.buf, p...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			return len(p), nil
		}
		w.l.println(w.prefix + strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
}
