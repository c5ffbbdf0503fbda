package promtext

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []Sample
	}{
		{
			name: "agent metrics with help and type",
			text: "# HELP mvm_agent_clients WebSocket clients.\n# TYPE mvm_agent_clients gauge\nmvm_agent_clients 2\n",
			want: []Sample{{Name: "mvm_agent_clients", Value: 2}},
		},
		{
			name: "labels, escapes and a timestamp",
			text: `restarts{child="xvnc",note="a \"b\"\\c\nd",} 3 1700000000000` + "\r\n",
			want: []Sample{{
				Name:   "restarts",
				Labels: []Label{{"child", "xvnc"}, {"note", "a \"b\"\\c\nd"}},
				Value:  3, Timestamp: 1700000000000, HasTimestamp: true,
			}},
		},
		{
			name: "special values and blanks",
			text: "  a\t+Inf\nb{} -Inf \nc 1.5e3\n\n",
			want: []Sample{{Name: "a", Value: math.Inf(1)}, {Name: "b", Value: math.Inf(-1)}, {Name: "c", Value: 1500}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	for _, text := range []string{
		"1abc 2",                    // name starts with a digit
		"a{b=\"c\" 1",               // label set not closed
		"a{b=c} 1",                  // value not quoted
		"a{b=\"\\x\"} 1",            // unknown escape
		"a",                         // no value
		"a{b=\"c\"}1",               // no blank before the value
		"a 1 2 3",                   // trailing garbage
		"a 1 1.5",                   // timestamp not an integer
		"a one",                     // value not a number
		"a{b=\"c\",,} 1",            // empty label
		"a{b=\"unclosed\\",          // escape at the end
		"a{b=\"c\"} 1\n# ok\nb x\n", // an error on a later line
	} {
		if s, err := Parse(text); err == nil {
			t.Errorf("Parse(%q) = %v, want an error", text, s)
		}
	}
}

// FuzzParse feeds the parser what an agent, or anything answering in
// its place, might send: it must never panic, and what it accepts must
// survive being written back and read again.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"mvm_agent_clients 0\n",
		"# HELP x y\n# TYPE x counter\nx_total{a=\"b\",c=\"d\\n\"} 1.5 1700000000000\n",
		"a{} +Inf\nb -Inf\nc NaN\n",
		"a{b=\"\\\\\\\"\"} 0x1p-2\r\n",
		strings.Repeat("m{l=\"v\"} 1\n", 10),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		samples, err := Parse(text)
		if err != nil {
			return
		}
		var b strings.Builder
		for _, s := range samples {
			b.WriteString(s.String() + "\n")
		}
		again, err := Parse(b.String())
		if err != nil {
			t.Fatalf("written back as %q, it no longer parses: %v", b.String(), err)
		}
		if !cmp.Equal(samples, again, cmp.Comparer(sameFloat)) {
			t.Fatalf("round trip changed the samples:\n%s", cmp.Diff(samples, again, cmp.Comparer(sameFloat)))
		}
	})
}

// sameFloat treats NaN as equal to NaN, as a round trip must keep it.
func sameFloat(a, b float64) bool {
	return a == b || math.IsNaN(a) && math.IsNaN(b)
}
