package entra

import (
	"encoding/base64"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestMergeClaims(t *testing.T) {
	t.Parallel()
	challenge := `{"access_token":{"nbf":{"essential":true,"value":"1700000000"}}}`
	tests := map[string]struct {
		challenge string
		caps      []string
		want      string // JSON, compared as a value; "" for none
		wantErr   bool
	}{
		"neither":           {want: ""},
		"capabilities only": {caps: []string{"cp1"}, want: `{"access_token":{"xms_cc":{"values":["cp1"]}}}`},
		"challenge only":    {challenge: challenge, want: challenge},
		"both merge": {challenge: challenge, caps: []string{"cp1"},
			want: `{"access_token":{"nbf":{"essential":true,"value":"1700000000"},"xms_cc":{"values":["cp1"]}}}`},
		"base64 challenge from WWW-Authenticate": {challenge: base64.StdEncoding.EncodeToString([]byte(challenge)), caps: []string{"cp1"},
			want: `{"access_token":{"nbf":{"essential":true,"value":"1700000000"},"xms_cc":{"values":["cp1"]}}}`},
		"other top-level members kept": {challenge: `{"id_token":{"auth_time":{"essential":true}}}`, caps: []string{"cp1", "cp2"},
			want: `{"id_token":{"auth_time":{"essential":true}},"access_token":{"xms_cc":{"values":["cp1","cp2"]}}}`},
		"challenge wins on a conflict": {challenge: `{"access_token":{"xms_cc":{"values":["cp9"]}}}`, caps: []string{"cp1"},
			want: `{"access_token":{"xms_cc":{"values":["cp9"]}}}`},
		"not an object":   {challenge: `["x"]`, wantErr: true},
		"not JSON":        {challenge: `{nope`, wantErr: true},
		"not base64 JSON": {challenge: "bm90IGpzb24=", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := MergeClaims(tc.challenge, tc.caps)
			if tc.wantErr {
				if err == nil || plugin.KindOf(err) != plugin.KindConfig {
					t.Fatalf("MergeClaims() = %q, %v; want a configuration error", got, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(decode(t, tc.want), decode(t, got)); diff != "" {
				t.Errorf("MergeClaims() (-want +got):\n%s", diff)
			}
		})
	}
}

func decode(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}
