package google

import (
	"bytes"
	"errors"
	"fmt"
	goldenfile "github.com/keyfob/keyfob/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

var expiry = time.Date(2026, 11, 22, 10, 55, 0, 0, time.UTC)

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]Response{
		"success-jwt":         Success(TokenTypeJWT, "eyJ0eXAi.test.token", expiry),
		"success-id-token":    Success(TokenTypeIDToken, "eyJhbGci.id.token", expiry),
		"success-no-expiry":   Success(TokenTypeJWT, "eyJ0eXAi.test.token", time.Time{}),
		"failure":             Failure("invalid_client", "login.example.com: invalid_client: AADSTS7000215:\n Invalid client secret provided."),
		"failure-empty":       Failure("", ""),
		"failure-not-found":   Failure("not_found", `no keyfob profile serves audience "//iam.googleapis.com/projects/1/x" <&>`),
		"failure-interaction": Failure("interaction_required", "sign-in is needed: run keyfob login -p gcp"),
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Write(&buf, r); err != nil {
				t.Fatal(err)
			}
			golden(t, name, buf.Bytes())
		})
	}
}

func TestMarshalRefusesIncompleteSuccess(t *testing.T) {
	t.Parallel()
	for _, r := range []Response{Success(TokenTypeJWT, "", expiry), Success("", "tok", expiry)} {
		if _, err := r.Marshal(); err == nil {
			t.Errorf("Marshal(%v) succeeded", r)
		}
	}
}

func TestStringRedacts(t *testing.T) {
	t.Parallel()
	r := Success(TokenTypeJWT, "SECRET-TOKEN", expiry)
	for _, s := range []string{r.String(), fmt.Sprintf("%v", r), fmt.Sprintf("%#v", r), fmt.Sprintf("%+v", r)} {
		if strings.Contains(s, "SECRET-TOKEN") {
			t.Errorf("formatted response shows the token: %s", s)
		}
	}
}

func TestReadRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env  map[string]string
		want Request
	}{
		"nothing set": {env: nil, want: Request{Mode: Standalone}},
		"go library": {
			env: map[string]string{
				EnvAudience:          "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/entra",
				EnvTokenType:         TokenTypeJWT,
				EnvInteractive:       "0",
				EnvImpersonatedEmail: "sa@p.iam.gserviceaccount.com",
				EnvOutputFile:        "/tmp/out.json",
			},
			want: Request{
				Audience:  "//iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/providers/entra",
				TokenType: TokenTypeJWT, Mode: NonInteractive, ImpersonatedEmail: "sa@p.iam.gserviceaccount.com",
				OutputFile: "/tmp/out.json",
			},
		},
		"interactive revoke": {
			env:  map[string]string{EnvInteractive: "1", EnvRevoke: "1"},
			want: Request{Mode: Interactive, Revoke: true},
		},
		"revoke 0": {env: map[string]string{EnvInteractive: " 0 ", EnvRevoke: "0"}, want: Request{Mode: NonInteractive}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := ReadRequest(func(k string) string { return tc.env[k] })
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ReadRequest (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAudienceURL(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"//iam.googleapis.com/projects/1/x": "https://iam.googleapis.com/projects/1/x",
		"":                                  "",
		"https://iam.googleapis.com/x":      "",
		"//":                                "",
		"//a b":                             "",
	}
	for aud, want := range tests {
		if got := (Request{Audience: aud}).AudienceURL(); got != want {
			t.Errorf("AudienceURL(%q) = %q, want %q", aud, got, want)
		}
	}
}

func TestResponseTokenType(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		configured string
		idToken    bool
		want       string
		wantErr    bool
	}{
		"unset, access token": {want: TokenTypeJWT},
		"unset, id token":     {idToken: true, want: TokenTypeIDToken},
		"jwt":                 {configured: TokenTypeJWT, idToken: true, want: TokenTypeJWT},
		"id_token":            {configured: TokenTypeIDToken, want: TokenTypeIDToken},
		"saml":                {configured: TokenTypeSAML2, wantErr: true},
		"other":               {configured: "urn:x", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Request{TokenType: tc.configured}.ResponseTokenType(tc.idToken)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("ResponseTokenType = %q, %v; want %q, error %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	now := expiry.Add(-time.Hour)
	tests := map[string]struct {
		data       string
		outputFile bool
		want       Response
		wantErr    string
	}{
		"jwt":             {data: `{"version":1,"success":true,"token_type":"` + TokenTypeJWT + `","id_token":"t","expiration_time":` + unix(expiry) + `}`, want: Success(TokenTypeJWT, "t", expiry)},
		"saml":            {data: `{"version":1,"success":true,"token_type":"` + TokenTypeSAML2 + `","saml_response":"s"}`, want: Success(TokenTypeSAML2, "s", time.Time{})},
		"no expiry, file": {data: `{"version":1,"success":true,"token_type":"` + TokenTypeJWT + `","id_token":"t"}`, outputFile: true, wantErr: "expiration_time"},
		"expired":         {data: `{"version":1,"success":true,"token_type":"` + TokenTypeJWT + `","id_token":"t","expiration_time":1}`, wantErr: "expired"},
		"no token":        {data: `{"version":1,"success":true,"token_type":"` + TokenTypeIDToken + `"}`, wantErr: "no token"},
		"bad type":        {data: `{"version":1,"success":true,"token_type":"x","id_token":"t"}`, wantErr: "unsupported token_type"},
		"no type":         {data: `{"version":1,"success":true,"id_token":"t"}`, wantErr: "no token_type"},
		"version 2":       {data: `{"version":2,"success":true}`, wantErr: "unsupported version"},
		"no version":      {data: `{"success":true}`, wantErr: "no version"},
		"no success":      {data: `{"version":1}`, wantErr: "no success"},
		"failure":         {data: `{"version":1,"success":false,"code":"401","message":"no"}`, want: Failure("401", "no"), wantErr: "(401) no"},
		"bad failure":     {data: `{"version":1,"success":false,"code":"401"}`, wantErr: "both code and message"},
		"not json":        {data: `keyfob: error`, wantErr: "not JSON"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse([]byte(tc.data), now, tc.outputFile)
			if tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Fatalf("Parse error = %v, want one containing %q", err, tc.wantErr)
			}
			if tc.wantErr == "" && err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
	var fe *FailureError
	if _, err := Parse([]byte(`{"version":1,"success":false,"code":"c","message":"m"}`), now, false); !errors.As(err, &fe) || fe.Code != "c" {
		t.Errorf("failure answer: error %v, want a *FailureError with code c", err)
	}
}

func unix(t time.Time) string { return fmt.Sprint(t.Unix()) }

// TestGoldenFilesParse checks that every golden answer is one the Go
// library accepts (successes) or reports (failures).
func TestGoldenFilesParse(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("testdata", "*.golden"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		if filepath.Base(f) == "revoked.golden" {
			continue // the sign-out answer carries no token
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Parse(data, expiry.Add(-time.Hour), false)
		var fe *FailureError
		if err != nil && !errors.As(err, &fe) {
			t.Errorf("%s: %v", f, err)
		}
		if bytes.Count(data, []byte("\n")) != 1 || !bytes.HasSuffix(data, []byte("\n")) {
			t.Errorf("%s is not one line", f)
		}
	}
}

func TestWriteRevokedGolden(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteRevoked(&buf); err != nil {
		t.Fatal(err)
	}
	golden(t, "revoked", buf.Bytes())
}
