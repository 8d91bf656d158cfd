package oauth

import (
	"strings"
	"testing"

	"github.com/keyfob/keyfob/plugin/bearer"
)

// FuzzParseTokenResponse feeds arbitrary answers to the token parser. A
// response it accepts always holds a b64token of type Bearer that has not
// expired: nothing it returns can put a second header line into
// `keyfob token -o header` or an escape sequence on a terminal. The
// committed corpus (testdata/fuzz/FuzzParseTokenResponse) holds the
// header-injection answers.
func FuzzParseTokenResponse(f *testing.F) {
	seeds := []struct {
		body   string
		status int
	}{
		{tokenBody, 200},
		{`{"access_token":"a","token_type":"bearer","expires_in":"3599","expires_on":"1895000000","refresh_in":"1800"}`, 200},
		{`{"access_token":"a","expires_on":"11/05/2021 15:18:31 +00:00","scope":["a","b"]}`, 200},
		{`{"access_token":"a","expires_in":1e308,"ext_expires_in":"NaN"}`, 200},
		{`{"error":"invalid_client","error_codes":[7000215],"trace_id":"t","claims":{"a":1}}`, 401},
		{`{"error":"bad_verification_code"}`, 200},
		{htmlPage, 502},
		{`{"access_token":"a`, 200},
		{``, 429},
		{`null`, 200},
	}
	for _, s := range seeds {
		f.Add([]byte(s.body), s.status)
	}
	f.Fuzz(func(t *testing.T, body []byte, status int) {
		tr, err := ParseTokenResponse(body, status, testNow)
		switch {
		case tr == nil && err == nil:
			t.Fatal("nil response and nil error")
		case tr != nil && err != nil:
			t.Fatalf("both a response and an error: %v", err)
		case tr != nil && tr.AccessToken.IsZero():
			t.Fatal("response without an access token")
		case err != nil && err.Error() == "":
			t.Fatal("empty error message")
		case err != nil && strings.ContainsAny(err.Error(), "\r\n\x1b"):
			t.Fatalf("error %q holds a control character", err)
		case tr != nil:
			checkAccepted(t, tr)
		}
	})
}

// checkAccepted fails unless tr is safe to present.
func checkAccepted(t *testing.T, tr *TokenResponse) {
	t.Helper()
	if err := bearer.CheckToken(tr.AccessToken.Reveal()); err != nil {
		t.Fatalf("accepted access token %q: %v", tr.AccessToken.Reveal(), err)
	}
	if tr.TokenType != bearer.Type {
		t.Fatalf("accepted token type %q", tr.TokenType)
	}
	if !tr.ExpiresAt.IsZero() && !tr.ExpiresAt.After(testNow) {
		t.Fatalf("accepted a token that expired at %v", tr.ExpiresAt)
	}
}
