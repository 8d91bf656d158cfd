package e2e_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2/google/externalaccount"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

const (
	wifAudience    = "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/entra"
	jwtTokenType   = "urn:ietf:params:oauth:token-type:jwt"
	googleAT       = "ya29.fake-google-access-token"
	tokenExchange  = "urn:ietf:params:oauth:grant-type:token-exchange"
	badSecretVar   = "E2E_BAD_SECRET"
	googleInteract = "GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE"
)

// fakeSTS is Google's Security Token Service as the library sees it: it
// exchanges a subject token for a Google access token, accepting only
// subject tokens zitadel issued.
type fakeSTS struct {
	*httptest.Server
	mu       sync.Mutex
	subjects []string
}

func startFakeSTS(t *testing.T, z *servers.Zitadel) *fakeSTS {
	t.Helper()
	s := &fakeSTS{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f := r.PostForm
		subject := f.Get("subject_token")
		s.mu.Lock()
		s.subjects = append(s.subjects, subject)
		s.mu.Unlock()
		_, verr := z.VerifyAccessToken(r.Context(), subject)
		if f.Get("grant_type") != tokenExchange || f.Get("audience") != wifAudience ||
			f.Get("subject_token_type") != jwtTokenType || verr != nil {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "subject token refused"})
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": googleAT, "token_type": "Bearer",
			"issued_token_type": "urn:ietf:params:oauth:token-type:access_token", "expires_in": 3600})
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeSTS) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.subjects...)
}

// TestGoogleExternalAccount drives keyfob through Google's Go auth library
// (golang.org/x/oauth2/google/externalaccount) with an executable
// credential source, against a fake STS. The library reads
// GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES from its own environment and
// passes its whole environment on, so this test sets variables on the test
// process and cannot run in parallel.
func TestGoogleExternalAccount(t *testing.T) {
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	// Another client than gcp's, or the cache would answer with gcp's token.
	bad := strings.ReplaceAll(clientCredentialsProfile("bad", z.TokenURL, z.PostClient, "api"), "env:"+clientSecretVar, "env:"+badSecretVar)
	cfg := harness.WriteConfig(t, home, toolProfile("gcp", z, "https://iam.googleapis.com/projects/123/")+bad)
	for _, kv := range toolEnv(home, cfg, z, "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1", badSecretVar+"=wrong", "KEYFOB_LOG=debug") {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	for _, k := range []string{"KEYFOB_PROFILE", "KEYFOB_NONINTERACTIVE", googleInteract} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	sts := startFakeSTS(t, z)
	output := filepath.Join(home, "subject.json")

	// The profile comes from the audience (no -p); the library writes
	// nothing itself: keyfob writes the output file.
	token := googleToken(t, sts, bin+" google", output)
	if token != googleAT {
		t.Fatalf("Google access token %q, want the fake STS's", token)
	}
	subjects := sts.received()
	if len(subjects) != 1 {
		t.Fatalf("STS requests = %d, want 1", len(subjects))
	}
	data, err := os.ReadFile(output)
	if err != nil {
		t.Fatalf("output file: %v", err)
	}
	var cached struct {
		IDToken string `json:"id_token"`
	}
	if err := json.Unmarshal(data, &cached); err != nil || cached.IDToken != subjects[0] {
		t.Errorf("output file %s does not hold the subject token the STS got (%v)", data, err)
	}

	// A new token source reads the output file: keyfob is not run again
	// (the executable's path is now wrong, so running it would fail).
	if token := googleToken(t, sts, "/nonexistent/keyfob google", output); token != googleAT {
		t.Errorf("second token source: %q", token)
	}
	if got := sts.received(); len(got) != 2 || got[1] != subjects[0] {
		t.Errorf("second exchange used %d subject tokens, want the cached one again", len(got))
	}
	if n := z.GrantRequests("client_credentials"); n != 1 {
		t.Errorf("client_credentials requests = %d, want 1", n)
	}

	// A refused client: the library shows keyfob's failure answer.
	ts, err := externalaccount.NewTokenSource(t.Context(), googleConfig(sts, bin+" google -p bad", ""))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Token(); err == nil || !strings.Contains(err.Error(), "(invalid_client)") {
		t.Errorf("token with a bad client secret: %v; want the library to show keyfob's invalid_client", err)
	}
}

func googleConfig(sts *fakeSTS, command, output string) externalaccount.Config {
	return externalaccount.Config{
		Audience:         wifAudience,
		SubjectTokenType: jwtTokenType,
		TokenURL:         sts.URL,
		Scopes:           []string{"https://www.googleapis.com/auth/cloud-platform"},
		CredentialSource: &externalaccount.CredentialSource{
			Executable: &externalaccount.ExecutableConfig{Command: command, OutputFile: output},
		},
	}
}

// googleToken gets a Google access token through the library.
func googleToken(t *testing.T, sts *fakeSTS, command, output string) string {
	t.Helper()
	ts, err := externalaccount.NewTokenSource(t.Context(), googleConfig(sts, command, output))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := ts.Token()
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok.AccessToken
}

// TestGoogleExecutableOutput checks the stream contract the libraries
// rely on: in library mode nothing on stderr, even with debug logging, and
// failures as success:false with exit status 0; run by hand, failures also
// have an exit status.
func TestGoogleExecutableOutput(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	home := t.TempDir()
	cfg := harness.WriteConfig(t, home, toolProfile("gcp", z))
	lib := env("KEYFOB_CONFIG", cfg, clientSecretVar, z.BasicClient.Secret, "KEYFOB_LOG", "trace",
		googleInteract, "0", "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE", wifAudience,
		"GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE", jwtTokenType)
	tests := map[string]struct {
		args        []string
		env         []string
		wantSuccess bool
		answerCode  string // the failure answer's code
		wantCode    int
		wantStderr  bool
	}{
		"success":              {args: []string{"google", "-p", "gcp"}, env: lib, wantSuccess: true},
		"failure, library":     {args: []string{"google", "-p", "nope"}, env: lib, answerCode: "config"},
		"failure, by hand":     {args: []string{"google", "-p", "nope"}, env: env("KEYFOB_CONFIG", cfg), answerCode: "config", wantCode: 2, wantStderr: true},
		"sign-in not possible": {args: []string{"google", "--provider", "device_code", "--token-url", z.TokenURL, "--device-authorization-url", z.DeviceAuthorizationURL, "--client-id", z.NativeClient.ID}, env: lib, answerCode: "interaction_required"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := harness.Run(t, bin, harness.RunOpts{Home: t.TempDir(), Args: tc.args, Env: tc.env})
			if res.ExitCode != tc.wantCode || (res.Stderr != "") != tc.wantStderr {
				t.Fatalf("want exit %d and stderr %v:\n%s", tc.wantCode, tc.wantStderr, res)
			}
			checkNoLeaks(t, res, z.BasicClient.Secret)
			var answer struct {
				Version        int
				Success        bool
				TokenType      string `json:"token_type"`
				IDToken        string `json:"id_token"`
				ExpirationTime int64  `json:"expiration_time"`
				Code, Message  string
			}
			if err := json.Unmarshal([]byte(res.Stdout), &answer); err != nil || answer.Version != 1 || answer.Success != tc.wantSuccess {
				t.Fatalf("stdout %q: %v", res.Stdout, err)
			}
			if !tc.wantSuccess {
				if answer.Code != tc.answerCode || answer.Message == "" {
					t.Errorf("failure answer %q, want code %q and a message", res.Stdout, tc.answerCode)
				}
				return
			}
			info, err := z.VerifyAccessToken(t.Context(), answer.IDToken)
			if err != nil || answer.TokenType != jwtTokenType {
				t.Fatalf("answer %q: token not zitadel's (%v) or wrong type", res.Stdout, err)
			}
			// The hosts' expiry is E − M: 5-minute tokens, margin 30 s
			// (give or take the clocks' rounding).
			if d := info.Expiry.Unix() - answer.ExpirationTime; d < 28 || d > 32 {
				t.Errorf("expiration_time is %d s before the token's expiry, want 30", d)
			}
		})
	}
}
