package bootstrap

import "testing"

func TestUsrMergeRewrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		arch   string
		in     string
		want   string
		wantOK bool
	}{
		{name: "root", arch: "amd64", in: "./", want: "", wantOK: true},
		{name: "bin file", arch: "amd64", in: "./bin/bash", want: "usr/bin/bash", wantOK: true},
		{name: "bin directory", arch: "amd64", in: "./bin/", want: "usr/bin", wantOK: true},
		{name: "sbin", arch: "arm64", in: "sbin/start-stop-daemon", want: "usr/sbin/start-stop-daemon", wantOK: true},
		{name: "lib", arch: "amd64", in: "./lib/x86_64-linux-gnu/libc.so.6",
			want: "usr/lib/x86_64-linux-gnu/libc.so.6", wantOK: true},
		{name: "lib64 on amd64", arch: "amd64", in: "./lib64/ld-linux-x86-64.so.2",
			want: "usr/lib64/ld-linux-x86-64.so.2", wantOK: true},
		{name: "lib64 stays on arm64", arch: "arm64", in: "./lib64/x", want: "lib64/x", wantOK: true},
		{name: "already under usr", arch: "amd64", in: "./usr/bin/env", want: "usr/bin/env", wantOK: true},
		{name: "similar prefix", arch: "amd64", in: "./binaries/x", want: "binaries/x", wantOK: true},
		{name: "etc", arch: "amd64", in: "/etc/passwd", want: "etc/passwd", wantOK: true},
		{name: "doubled slashes", arch: "amd64", in: ".//bin//sh", want: "usr/bin/sh", wantOK: true},
		{name: "escape", arch: "amd64", in: "./usr/../../etc/shadow", wantOK: false},
		{name: "parent", arch: "amd64", in: "..", wantOK: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, ok := newUsrMerge(tt.arch).rewrite(tt.in)
			if ok != tt.wantOK || (ok && got != tt.want) {
				t.Errorf("rewrite(%q) = %q, %t; want %q, %t", tt.in, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
