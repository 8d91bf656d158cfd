package oauth

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestAuthFromConfig(t *testing.T) {
	t.Parallel()
	secretFile := writeFile(t, t.TempDir(), "from-file")
	tests := map[string]struct {
		cfg     plugin.Config
		want    ClientAuth
		wantErr string
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
		"private_key_jwt": {
			cfg: plugin.Config{"client_auth": "private_key_jwt"}, wantErr: "key client_auth: private_key_jwt is not available yet",
		},
		"unknown": {
			cfg: plugin.Config{"client_auth": "auto"}, wantErr: `key client_auth: unknown method "auto"`,
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
