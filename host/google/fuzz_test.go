package google

import (
	"errors"
	"testing"
	"time"
)

func FuzzParse(f *testing.F) {
	seeds := []string{
		`{"version":1,"success":true,"token_type":"urn:ietf:params:oauth:token-type:jwt","id_token":"t","expiration_time":1795000000}`,
		`{"version":1,"success":true,"token_type":"urn:ietf:params:oauth:token-type:saml2","saml_response":"s"}`,
		`{"version":1,"success":false,"code":"401","message":"m"}`,
		`{"version":1,"success":false}`,
		`{"version":-1,"success":true}`,
		`{"version":1,"success":"yes"}`,
		`{"version":1e400}`,
		`[]`, `null`, ``, "\xff",
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	now := time.Unix(1_790_000_000, 0)
	f.Fuzz(func(t *testing.T, data []byte, withOutputFile bool) {
		r, err := Parse(data, now, withOutputFile)
		var fe *FailureError
		switch {
		case errors.As(err, &fe):
			if fe.Code == "" || fe.Message == "" {
				t.Fatalf("failure without code or message: %#v", fe)
			}
			return
		case err != nil:
			return
		}
		if !r.Success || r.Token == "" {
			t.Fatalf("Parse accepted %q as %v", data, r)
		}
		if r.TokenType == TokenTypeSAML2 {
			return // keyfob never renders SAML
		}
		b, err := r.Marshal()
		if err != nil {
			t.Fatalf("Marshal of a parsed answer: %v", err)
		}
		again, err := Parse(b, now, withOutputFile)
		if err != nil || again.Token != r.Token || again.TokenType != r.TokenType || !again.Expiry.Equal(r.Expiry) {
			t.Fatalf("round trip of %q: %v, %v", data, again, err)
		}
	})
}
