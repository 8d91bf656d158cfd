package oauth

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestAuthFromConfig(t *testing.T) {
	t.Parallel()
	secretFile := writeFile(t, t.TempDir(), "from-file")
	missingCert := filepath.Join(t.TempDir(), "missing.pem")
	tests := map[string]struct {
		cfg      plugin.Config
		want     ClientAuth
		wantType string // instead of want, for methods holding funcs
		wantErr  string
	}{
		"default without a secret is none": {cfg: plugin.Config{}, want: None{}},
		"default with a secret is basic": {
			cfg: plugin.Config{"client_secret": "s"}, want: SecretBasic{Secret: plugin.NewSecret("s")},
		},
		"basic with a secret reference": {
			cfg:  plugin.Config{"client_auth": "client_secret_basic", "client_secret": "file:" + secretFile},
			want: SecretBasic{Secret: plugin.NewSecret("from-file")},
		},
		"post": {
			cfg: plugin.Config{"client_auth": "client_secret_post", "client_secret": "s"}, want: SecretPost{Secret: plugin.NewSecret("s")},
		},
		"none": {cfg: plugin.Config{"client_auth": "none"}, want: None{}},
		"none with a secret": {
			cfg: plugin.Config{"client_auth": "none", "client_secret": "s"}, wantErr: "key client_secret is set but client_auth is none",
		},
		"post without a secret": {
			cfg: plugin.Config{"client_auth": "client_secret_post"}, wantErr: "key client_secret is required",
		},
		"missing secret variable": {
			cfg:     plugin.Config{"client_secret": "env:KEYFOB_OAUTH_TEST_UNSET"},
			wantErr: "key client_secret: environment variable KEYFOB_OAUTH_TEST_UNSET is not set",
		},
		"private_key_jwt without a certificate": {
			cfg:     plugin.Config{"client_auth": "private_key_jwt"},
			wantErr: "client_auth private_key_jwt needs key client_certificate (or client_assertion_file)",
		},
		"private_key_jwt with a certificate and an assertion file": {
			cfg:     plugin.Config{"client_certificate": "c.pem", "client_assertion_file": "t.jwt"},
			wantErr: "keys client_certificate and client_assertion_file are both set; keep one",
		},
		"private_key_jwt, unknown audience": {
			cfg:     plugin.Config{"client_certificate": "c.pem", "client_assertion_audience": "token_url"},
			wantErr: `key client_assertion_audience: unknown audience "token_url" (want token_endpoint, issuer or both)`,
		},
		"private_key_jwt, certificate missing": {
			cfg:     plugin.Config{"client_certificate": missingCert},
			wantErr: "key client_certificate: " + missingCert + ": no such file or directory",
		},
		"default with an assertion file": {
			cfg: plugin.Config{"client_assertion_file": "t.jwt"}, wantType: "oauth.JWTAssertion",
		},
		"none with a certificate": {
			cfg: plugin.Config{"client_auth": "none", "client_certificate": "c.pem"}, wantErr: "key client_certificate is set but client_auth is none",
		},
		"unknown": {
			cfg:     plugin.Config{"client_auth": "auto"},
			wantErr: `key client_auth: unknown method "auto" (want none, client_secret_basic, client_secret_post or private_key_jwt)`,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := AuthFromConfig(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !contains(err.Error(), tc.wantErr) || plugin.KindOf(err) != plugin.KindConfig {
					t.Fatalf("AuthFromConfig() = %v, %v; want a config error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.wantType != "" {
				if gotType := fmt.Sprintf("%T", got); gotType != tc.wantType {
					t.Errorf("AuthFromConfig() is a %s, want %s", gotType, tc.wantType)
				}
				return
			}
			if diff := cmp.Diff(tc.want, got, secretEq); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecretAuthNeedsCredentials(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		auth     ClientAuth
		clientID string
		wantErr  string
	}{
		"basic without client id":    {auth: SecretBasic{Secret: plugin.NewSecret("s")}, wantErr: "client_auth client_secret_basic needs a client_id"},
		"basic without secret":       {auth: SecretBasic{}, clientID: "a", wantErr: "client_auth client_secret_basic needs a client_secret"},
		"post without secret":        {auth: SecretPost{}, clientID: "a", wantErr: "client_auth client_secret_post needs a client_secret"},
		"none needs nothing":         {auth: None{}},
		"basic with both is applied": {auth: SecretBasic{Secret: plugin.NewSecret("s")}, clientID: "a"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := &AuthRequest{Form: map[string][]string{}, Header: map[string][]string{}, ClientID: tc.clientID}
			err := tc.auth.Apply(t.Context(), req)
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("Apply() = %v", err)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr || plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("Apply() = %v, want config error %q", err, tc.wantErr)
			}
		})
	}
}

// TestAuthFromConfigPrivateKeyJWT checks that a certificate makes
// private_key_jwt (explicitly or by default) with the configured audience
// and alg, and that a bad certificate is reported before any request.
func TestAuthFromConfigPrivateKeyJWT(t *testing.T) {
	t.Parallel()
	now := time.Now()
	valid := testCertFile(t, testRSAKey(), now.Add(-time.Hour), now.Add(time.Hour))
	expired := testCertFile(t, testRSAKey(), now.Add(-48*time.Hour), now.Add(-24*time.Hour))
	tests := map[string]struct {
		cfg     plugin.Config
		wantAlg string
		wantAud Audience
		wantErr string
	}{
		"default with a certificate": {
			cfg: plugin.Config{"client_certificate": valid, "client_secret": "ignored"}, wantAlg: "RS256", wantAud: AudienceTokenEndpoint,
		},
		"explicit, with an authority": {
			cfg: plugin.Config{"client_auth": "private_key_jwt", "client_certificate": valid,
				"authority": "https://login.microsoftonline.com/contoso", "client_assertion_audience": "both"},
			wantAlg: "PS256", wantAud: AudienceBoth,
		},
		"expired certificate": {
			cfg:     plugin.Config{"client_certificate": expired},
			wantErr: "key client_certificate: " + expired + `: certificate "CN=app.example" expired on `,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := AuthFromConfig(tc.cfg)
			if tc.wantErr != "" {
				if err == nil || !contains(err.Error(), tc.wantErr) || plugin.KindOf(err) != plugin.KindConfig {
					t.Fatalf("AuthFromConfig() = %v, %v; want a config error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pkj, ok := got.(PrivateKeyJWT)
			if !ok {
				t.Fatalf("AuthFromConfig() = %T, want PrivateKeyJWT", got)
			}
			if diff := cmp.Diff([]string{tc.wantAlg, string(tc.wantAud)}, []string{pkj.Signer.Alg(), string(pkj.Audience)}); diff != "" {
				t.Errorf("[alg, audience] (-want +got):\n%s", diff)
			}
		})
	}
}
