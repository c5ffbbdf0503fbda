package bootstrap

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestArReader(t *testing.T) {
	t.Parallel()
	data := makeAr(
		arMember{name: "debian-binary", data: []byte("2.0\n")},
		arMember{name: "odd", data: []byte("abc")},
		arMember{name: "gnu-style/", data: []byte("xy")},
		arMember{name: "empty", data: nil},
	)

	ar, err := newArReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		h, err := ar.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		// Read only part of one member: Next must skip the rest.
		limit := int64(100)
		if h.Name == "odd" {
			limit = 1
		}
		body, err := io.ReadAll(io.LimitReader(ar, limit))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, h.Name+"="+string(body))
	}
	want := []string{"debian-binary=2.0\n", "odd=a", "gnu-style=xy", "empty="}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}

func TestArReaderRejects(t *testing.T) {
	t.Parallel()
	good := makeAr(arMember{name: "member", data: []byte("hello")})
	badMagic := append([]byte("!<arch?\n"), good[8:]...)
	badTrailer := bytes.Replace(good, []byte("`\n"), []byte("x\n"), 1)
	badSize := bytes.Replace(good, []byte("5         `"), []byte("-5        `"), 1)

	tests := []struct {
		name    string
		data    []byte
		wantErr string
	}{
		{name: "bad magic", data: badMagic, wantErr: "not an ar archive"},
		{name: "short magic", data: []byte("!<ar"), wantErr: "read ar magic"},
		{name: "corrupt header", data: badTrailer, wantErr: "corrupt ar member header"},
		{name: "negative size", data: badSize, wantErr: "invalid size"},
		{name: "truncated header", data: good[:30], wantErr: io.ErrUnexpectedEOF.Error()},
		{name: "truncated body", data: good[:len(good)-3], wantErr: io.ErrUnexpectedEOF.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := readAllMembers(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

// readAllMembers reads every member of an ar archive to the end.
func readAllMembers(data []byte) error {
	ar, err := newArReader(bytes.NewReader(data))
	if err != nil {
		return err
	}
	for {
		_, err := ar.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, ar); err != nil {
			return err
		}
	}
}
