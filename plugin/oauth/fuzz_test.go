package oauth

import (
	"testing"
)

func FuzzParseTokenResponse(f *testing.F) {
	seeds := []struct {
		body   string
		status int
	}{
		{tokenBody, 200},
		{`{"access_token":"a","token_type":"bearer","expires_in":"3599","expires_on":"1795000000","refresh_in":"1800"}`, 200},
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
		}
	})
}
