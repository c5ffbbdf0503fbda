package gke

import (
	"strings"
	"testing"
)

func TestTail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		writes []string
		max    int
		want   string
	}{
		{name: "empty", max: 3, want: ""},
		{name: "fewer lines", writes: []string{"a\nb\n"}, max: 3, want: "a\nb"},
		{name: "keeps the last", writes: []string{"1\n2\n3\n", "4\n5\n"}, max: 3, want: "3\n4\n5"},
		{name: "lines split across writes", writes: []string{"Inter", "rupt rec", "eived.\nGrace"}, max: 3, want: "Interrupt received.\nGrace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tl := newTail(tt.max)
			for _, w := range tt.writes {
				if n, err := tl.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write() = %d, %v", n, err)
				}
			}
			if got := tl.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
			tl.reset()
			if got := tl.String(); got != "" {
				t.Errorf("String() after reset = %q", got)
			}
		})
	}
}

// FuzzTail checks that however terraform's output is cut into writes, the
// tail is the last complete lines of the whole, then an unfinished one.
func FuzzTail(f *testing.F) {
	f.Add("line one\nline two\n\nline four", uint8(3))
	f.Add("a\nb\n", uint8(0))
	f.Fuzz(func(t *testing.T, text string, cut uint8) {
		tl := newTail(2)
		at := min(int(cut), len(text))
		tl.Write([]byte(text[:at]))
		tl.Write([]byte(text[at:]))

		lines := strings.Split(text, "\n")
		complete, partial := lines[:len(lines)-1], lines[len(lines)-1]
		kept := complete[max(0, len(complete)-2):]
		if partial != "" {
			kept = append(kept, partial)
		}
		if want := strings.Join(kept, "\n"); tl.String() != want {
			t.Errorf("String() = %q, want %q", tl.String(), want)
		}
	})
}
