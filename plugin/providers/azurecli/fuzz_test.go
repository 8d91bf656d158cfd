package azurecli

import (
	"errors"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin/bearer"
)

// FuzzParseOutput checks that az's output, whatever it is, gives either a
// token with a value and an expiry or errBadOutput, and that an error
// never quotes the output. An accepted token is a b64token of type Bearer
// that has not expired.
func FuzzParseOutput(f *testing.F) {
	f.Add([]byte(`{"accessToken":"a","expiresOn":"2030-01-02 03:04:05.000000","expires_on":1893553445,"tokenType":"Bearer"}`))
	f.Add([]byte(`{"accessToken":"a","expiresOn":"2030-01-02T03:04:05Z"}`))
	f.Add([]byte(`{"accessToken":"a","expires_on":"1893553445"}`))
	f.Add([]byte(`not json`))
	f.Add([]byte(`{"accessToken":"a\r\nX-Injected: evil","expires_on":1893553445}`))
	f.Add([]byte(`{"accessToken":"a","expires_on":1893553445,"tokenType":"Bearer\r\nX-Evil: 1"}`))
	f.Fuzz(func(t *testing.T, out []byte) {
		tok, err := parseOutput(out, azNow)
		if err != nil {
			if !errors.Is(err, errBadOutput) {
				t.Fatalf("error %v is not errBadOutput", err)
			}
			if len(out) > 8 && strings.Contains(err.Error(), string(out)) {
				t.Fatalf("error quotes the output: %v", err)
			}
			return
		}
		if bearer.CheckToken(tok.AccessToken.Reveal()) != nil || !tok.ExpiresAt.After(azNow) || tok.TokenType != bearer.Type {
			t.Fatalf("token = %+v, want a b64token of type Bearer that has not expired", tok)
		}
	})
}
