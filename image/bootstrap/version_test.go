package bootstrap

import "testing"

func TestCompareVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{name: "equal", a: "1.0-1", b: "1.0-1", want: 0},
		{name: "numeric not lexical", a: "1.10", b: "1.9", want: 1},
		{name: "leading zeros", a: "1.001", b: "1.1", want: 0},
		{name: "epoch wins", a: "1:0.1", b: "9.9", want: 1},
		{name: "missing epoch is zero", a: "0:1.0", b: "1.0", want: 0},
		{name: "revision", a: "1.0-2", b: "1.0-10", want: -1},
		{name: "tilde sorts before end", a: "1.0~rc1", b: "1.0", want: -1},
		{name: "tilde before tilde-less suffix", a: "1.0~~", b: "1.0~", want: -1},
		{name: "letters before non-letters", a: "1.0a", b: "1.0+", want: -1},
		{name: "end before letters", a: "1.0", b: "1.0a", want: -1},
		{name: "plus deb security", a: "2.36-9+deb12u14", b: "2.36-9+deb12u9", want: 1},
		{name: "binNMU", a: "1.47.0-2+b2", b: "1.47.0-2", want: 1},
		{name: "hyphen in upstream", a: "1.2-3-4", b: "1.2-3-3", want: 1},
		{name: "huge numbers", a: "1.99999999999999999999999", b: "1.99999999999999999999998", want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := compareVersions(tt.a, tt.b); got != tt.want {
				t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := compareVersions(tt.b, tt.a); got != -tt.want {
				t.Errorf("compareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}
