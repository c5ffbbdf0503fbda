package agent

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	hash := HashToken(testToken)
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(testToken+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{name: "hash", env: map[string]string{"MVM_TOKEN_SHA256": hex.EncodeToString(hash[:])}},
		{name: "file", env: map[string]string{"MVM_TOKEN_FILE": tokenFile}},
		{name: "no token", env: map[string]string{}, wantErr: "no desktop token"},
		{name: "short hash", env: map[string]string{"MVM_TOKEN_SHA256": "abcd"}, wantErr: "no desktop token"},
		{name: "missing file", env: map[string]string{"MVM_TOKEN_FILE": "/nonexistent"}, wantErr: "read token"},
		{name: "bad resolution", env: map[string]string{"MVM_TOKEN_FILE": tokenFile, "MVM_RESOLUTION": "big"}, wantErr: "WIDTHxHEIGHT"},
		{name: "tiny resolution", env: map[string]string{"MVM_TOKEN_FILE": tokenFile, "MVM_RESOLUTION": "100x100"}, wantErr: "outside"},
		{name: "short vnc password", env: map[string]string{"MVM_TOKEN_FILE": tokenFile, "MVM_VNC_PASSWORD": "abc"}, wantErr: "at least 6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.TokenHash != hash || c.Width != 1280 || c.Height != 800 || c.Listen != DefaultListen {
				t.Errorf("config = %+v", c)
			}
		})
	}
}
