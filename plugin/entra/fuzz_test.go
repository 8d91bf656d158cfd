package entra

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/keyfob/keyfob/plugin"
)

// FuzzMergeClaims feeds MergeClaims arbitrary claims challenges, as a
// resource's WWW-Authenticate header or --claims carries them (JSON text
// or its base64 form), with client capabilities. The result is "" or one
// JSON object; capabilities always end up in access_token.xms_cc.values
// unless the challenge itself sets that path to something else; a
// challenge that is not an object is a configuration error.
func FuzzMergeClaims(f *testing.F) {
	for _, s := range []struct{ challenge, caps string }{
		{`{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}`, "cp1"},
		{"eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ==", ""},
		{"eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZX19fQ", "cp1,cp2"},
		{`{"access_token":{"xms_cc":{"values":["other"]}}}`, "cp1"},
		{`{"access_token":"not an object"}`, "cp1"},
		{`[]`, ""},
		{`null`, ""},
		{"", "cp1"},
		{"   ", ""},
	} {
		f.Add(s.challenge, s.caps)
	}
	f.Fuzz(func(t *testing.T, challenge, caps string) {
		var capabilities []string
		if caps != "" {
			capabilities = strings.Split(caps, ",")
		}
		out, err := MergeClaims(challenge, capabilities)
		if err != nil {
			if !errors.Is(err, plugin.ErrConfig) {
				t.Fatalf("error %v is not a config error", err)
			}
			return
		}
		if out == "" {
			if len(capabilities) > 0 {
				t.Fatal("capabilities dropped")
			}
			return
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(out), &obj); err != nil || obj == nil {
			t.Fatalf("result %q is not a JSON object: %v", out, err)
		}
		if len(capabilities) > 0 && strings.TrimSpace(challenge) == "" {
			at, _ := obj["access_token"].(map[string]any)
			cc, _ := at["xms_cc"].(map[string]any)
			vals, _ := cc["values"].([]any)
			got := make([]string, 0, len(vals))
			for _, v := range vals {
				s, _ := v.(string)
				got = append(got, s)
			}
			if !slices.Equal(got, capabilities) && validUTF8(capabilities) {
				t.Fatalf("capabilities %q became %q", capabilities, got)
			}
		}
	})
}

// validUTF8 reports whether every string is valid UTF-8 (JSON encoding
// replaces invalid bytes).
func validUTF8(ss []string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) {
			return false
		}
	}
	return true
}
