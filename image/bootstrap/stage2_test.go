package bootstrap

import (
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRenderStage2(t *testing.T) {
	t.Parallel()
	p := &plan{
		Required: []*Package{pkg("base-files 1", "", ""), pkg("bash 1", "", ""), pkg("dpkg 1", "", ""), pkg("libc6 1", "", "")},
		Base:     []*Package{pkg("apt 1", "", ""), pkg("gpgv 1", "", "")},
	}
	script := renderStage2(p)

	for _, want := range []string{
		`staging=/mvm-bootstrap`,
		`core="base-files dpkg libc6"`,
		`required="bash"`,
		`base="apt gpgv"`,
	} {
		if !strings.Contains(script, want) {
			t.Errorf("script lacks %q", want)
		}
	}
	if regexp.MustCompile(`@[A-Z]+@`).MatchString(script) {
		t.Error("script has an unreplaced placeholder")
	}
}

func TestTailWriter(t *testing.T) {
	t.Parallel()
	tw := newTailWriter(3)
	for _, chunk := range []string{"one\ntw", "o\nthree\r\n", "four\nfive\nsi", "x"} {
		tw.Write([]byte(chunk))
	}
	if diff := cmp.Diff("four\nfive\nsix", tw.String()); diff != "" {
		t.Errorf("tail (-want +got):\n%s", diff)
	}
}

func TestPockets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{
			name: "defaults",
			opts: Options{},
			want: "deb http://deb.debian.org/debian bookworm main\n" +
				"deb http://deb.debian.org/debian bookworm-updates main\n" +
				"deb http://deb.debian.org/debian-security bookworm-security main\n",
		},
		{
			name: "no updates, trailing slash",
			opts: Options{Suite: "trixie", Mirror: "http://mirror.local/debian/", NoUpdates: true},
			want: "deb http://mirror.local/debian trixie main\n",
		},
		{name: "unstable", opts: Options{Suite: "sid"}, want: "deb http://deb.debian.org/debian sid main\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := sourcesList(tt.opts.withDefaults().pockets())
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("sources.list (-want +got):\n%s", diff)
			}
		})
	}
}
