package oauth

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/keyfob/keyfob/plugin"
)

func TestParseTokenResponse(t *testing.T) {
	t.Parallel()
	at := plugin.NewSecret("at")
	tests := map[string]struct {
		body    string
		want    *TokenResponse
		wantErr string
	}{
		"Entra v2": {
			body: `{"token_type":"Bearer","scope":"api://x/.default","expires_in":3599,"ext_expires_in":3599,
				"refresh_in":1800,"access_token":"at","refresh_token":"rt","id_token":"idt"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", Scope: "api://x/.default",
				ExpiresAt: testNow.Add(3599 * time.Second), ExtExpiresAt: testNow.Add(3599 * time.Second),
				RefreshAt: testNow.Add(30 * time.Minute), RefreshToken: plugin.NewSecret("rt"), IDToken: plugin.NewSecret("idt")},
		},
		"numeric strings (managed identity)": {
			body: `{"access_token":"at","expires_in":"3599","refresh_in":"1800","ext_expires_in":"7200","token_type":"Bearer"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: testNow.Add(3599 * time.Second),
				RefreshAt: testNow.Add(30 * time.Minute), ExtExpiresAt: testNow.Add(2 * time.Hour)},
		},
		"expires_on epoch string wins over expires_in": {
			body: `{"access_token":"at","expires_in":"10","expires_on":"1895000000","token_type":"Bearer"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: time.Unix(1895000000, 0).UTC()},
		},
		"expires_on epoch number": {
			body: `{"access_token":"at","expires_on":1895000000}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: time.Unix(1895000000, 0).UTC()},
		},
		"expires_on App Service 2017 date": {
			body: `{"access_token":"at","expires_on":"11/05/2027 15:18:31 +01:00"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: time.Date(2027, 11, 5, 14, 18, 31, 0, time.UTC)},
		},
		"expires_on without zone is UTC": {
			body: `{"access_token":"at","expires_on":"2027-11-05 15:18:31"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: time.Date(2027, 11, 5, 15, 18, 31, 0, time.UTC)},
		},
		"expires_on RFC 3339": {
			body: `{"access_token":"at","expires_on":"2027-11-05T15:18:31Z"}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: time.Date(2027, 11, 5, 15, 18, 31, 0, time.UTC)},
		},
		"lowercase bearer (fosite)": {
			body: `{"access_token":"at","token_type":"bearer","expires_in":60}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", ExpiresAt: testNow.Add(time.Minute)},
		},
		"BEARER in capitals": {
			body: `{"access_token":"YWJj==","token_type":"BEARER"}`,
			want: &TokenResponse{AccessToken: plugin.NewSecret("YWJj=="), TokenType: "Bearer"},
		},
		"no expiry, nulls ignored, scope array": {
			body: `{"access_token":"at","expires_in":null,"refresh_token":null,"scope":["a","b"]}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer", Scope: "a b"},
		},
		"malformed refresh_in ignored": {
			body: `{"access_token":"at","refresh_in":"soon","ext_expires_in":-5}`,
			want: &TokenResponse{AccessToken: at, TokenType: "Bearer"},
		},
		"CRLF in the token":          {body: `{"access_token":"abc\r\nX-Injected: evil","token_type":"Bearer"}`, wantErr: "access_token has characters a bearer token may not have"},
		"space in the token":         {body: `{"access_token":"abc def"}`, wantErr: "access_token has characters"},
		"OSC escape in the token":    {body: `{"access_token":"\u001b]0;t\u0007"}`, wantErr: "access_token has characters"},
		"CRLF in the token type":     {body: `{"access_token":"at","token_type":"Bearer\r\nX-Evil: 1"}`, wantErr: `token type "Bearer\r\nX-Evil: 1" is not supported`},
		"DPoP token type":            {body: `{"access_token":"at","token_type":"DPoP"}`, wantErr: `token type "DPoP" is not supported`},
		"mac token type":             {body: `{"access_token":"at","token_type":"mac"}`, wantErr: `token type "mac" is not supported`},
		"N_A token type":             {body: `{"access_token":"at","token_type":"N_A"}`, wantErr: `token type "N_A" is not supported`},
		"expires_on in the past":     {body: `{"access_token":"at","expires_on":1700000000}`, wantErr: "the token expired at 2023-11-14T22:13:20Z, before it was received"},
		"expires_on now":             {body: `{"access_token":"at","expires_on":"2026-11-21T12:00:00Z"}`, wantErr: "before it was received"},
		"malformed expires_in":       {body: `{"access_token":"at","expires_in":"soon"}`, wantErr: "HTTP 200 token response: expires_in is not a number"},
		"negative expires_in":        {body: `{"access_token":"at","expires_in":-1}`, wantErr: "expires_in is out of range"},
		"huge expires_in":            {body: `{"access_token":"at","expires_in":1e300}`, wantErr: "expires_in is out of range"},
		"malformed expires_on":       {body: `{"access_token":"at","expires_on":"tomorrow"}`, wantErr: "expires_on is not a time"},
		"missing access_token":       {body: `{"token_type":"Bearer"}`, wantErr: "HTTP 200 token response: response has no access_token"},
		"empty access_token":         {body: `{"access_token":""}`, wantErr: "has no access_token"},
		"numeric access_token":       {body: `{"access_token":12}`, wantErr: "has no access_token"},
		"non-string refresh_token":   {body: `{"access_token":"at","refresh_token":{}}`, wantErr: "refresh_token is not a string"},
		"empty body":                 {body: ``, wantErr: "HTTP 200 token response: body is empty"},
		"not JSON":                   {body: `access_token=at&token_type=bearer`, wantErr: "body is not a JSON object"},
		"JSON array":                 {body: `["at"]`, wantErr: "body is not a JSON object"},
		"JSON null":                  {body: `null`, wantErr: "body is not a JSON object"},
		"truncated":                  {body: `{"access_token":"at","expires_in":35`, wantErr: "JSON body is truncated"},
		"truncated inside a string":  {body: `{"access_token":"a`, wantErr: "JSON body is truncated"},
		"malformed":                  {body: `{"access_token":"at",}`, wantErr: "JSON body is malformed"},
		"trailing garbage":           {body: `{"access_token":"at"} x`, wantErr: "JSON body is malformed"},
		"two objects":                {body: `{"access_token":"at"}{"a":1}`, wantErr: "JSON body is malformed"},
		"error in a 200 (GitHub)":    {body: `{"error":"bad_verification_code","error_description":"d"}`, wantErr: "bad_verification_code: d"},
		"null error in a 200 is not": {body: `{"error":null}`, wantErr: "has no access_token"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTokenResponse([]byte(tc.body), 200, testNow)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || got != nil {
					t.Fatalf("ParseTokenResponse() = %v, %v; want error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTokenResponse() error = %v", err)
			}
			if diff := cmp.Diff(tc.want, got, secretEq, cmpopts.IgnoreFields(TokenResponse{}, "Raw")); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTokenResponseErrorKinds(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body     string
		status   int
		wantKind plugin.Kind
	}{
		"malformed 200 is unavailable": {body: `{`, status: 200, wantKind: plugin.KindUnavailable},
		"invalid_grant is refused":     {body: `{"error":"invalid_grant"}`, status: 400, wantKind: plugin.KindRefused},
		"HTML 500 is unavailable":      {body: htmlPage, status: 500, wantKind: plugin.KindUnavailable},
		"empty 429 is unavailable":     {body: ``, status: 429, wantKind: plugin.KindUnavailable},
		"login_required is interaction": {
			body: `{"error":"login_required"}`, status: 400, wantKind: plugin.KindInteraction,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTokenResponse([]byte(tc.body), tc.status, testNow)
			if got := plugin.KindOf(err); got != tc.wantKind {
				t.Errorf("KindOf(%v) = %v, want %v", err, got, tc.wantKind)
			}
			if strings.Contains(err.Error(), "secret-looking") {
				t.Errorf("error %q echoes the body", err)
			}
		})
	}
}

func TestParseErrorResponse(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body   string
		status int
		want   *plugin.OAuthError
	}{
		"Entra with claims challenge": {
			body: `{"error":"interaction_required","error_description":"AADSTS50079: MFA.","error_codes":[50079,"50076",true],
				"timestamp":"2026-11-21 12:00:00Z","trace_id":"t","correlation_id":"c","claims":"{\"access_token\":{}}"}`,
			status: 400,
			want: &plugin.OAuthError{Code: "interaction_required", Description: "AADSTS50079: MFA.", ErrorCodes: []int64{50079, 50076},
				TraceID: "t", CorrelationID: "c", Claims: `{"access_token":{}}`, StatusCode: 400},
		},
		"claims as an object": {
			body:   `{"error":"insufficient_claims","claims":{ "access_token" : {} }}`,
			status: 401,
			want:   &plugin.OAuthError{Code: "insufficient_claims", Claims: `{"access_token":{}}`, StatusCode: 401},
		},
		"fields of the wrong type are dropped": {
			body:   `{"error":"invalid_request","error_description":7,"error_codes":"x","trace_id":[]}`,
			status: 400,
			want:   &plugin.OAuthError{Code: "invalid_request", StatusCode: 400},
		},
		"HTML page":  {body: htmlPage, status: 502, want: &plugin.OAuthError{StatusCode: 502}},
		"empty body": {body: ``, status: 503, want: &plugin.OAuthError{StatusCode: 503}},
		"JSON without error": {
			body: `{"message":"nope"}`, status: 404, want: &plugin.OAuthError{StatusCode: 404},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tr, err := ParseTokenResponse([]byte(tc.body), tc.status, testNow)
			var got *plugin.OAuthError
			if tr != nil || !errors.As(err, &got) {
				t.Fatalf("ParseTokenResponse() = %v, %v; want an *OAuthError", tr, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseTokenResponseRawHasNoSecrets(t *testing.T) {
	t.Parallel()
	body := `{"access_token":"at","refresh_token":"rt","id_token":"it","foci":"1","expires_in":1}`
	got, err := ParseTokenResponse([]byte(body), 200, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]json.RawMessage{"foci": json.RawMessage(`"1"`), "expires_in": json.RawMessage(`1`)}
	if diff := cmp.Diff(want, got.Raw); diff != "" {
		t.Errorf("Raw (-want +got):\n%s", diff)
	}
}
