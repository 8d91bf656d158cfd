package environment

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/clientcredentials"
	"github.com/keyfob/keyfob/plugin/providers/password"
	"github.com/keyfob/keyfob/plugin/providers/workloadidentity"
)

func TestSelect(t *testing.T) {
	t.Parallel()
	base := func(kv ...string) plugin.Config {
		cfg := plugin.Config{"tenant_id": "contoso.onmicrosoft.com", "client_id": "app",
			"authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com"}
		for i := 0; i+1 < len(kv); i += 2 {
			cfg[kv[i]] = kv[i+1]
		}
		return cfg
	}
	tests := map[string]struct {
		cfg     plugin.Config
		want    plugin.Provider
		wantErr string // a substring of the configuration error
	}{
		"secret":             {cfg: base("client_secret", "env:AZURE_CLIENT_SECRET"), want: clientcredentials.Provider{}},
		"certificate":        {cfg: base("client_certificate", "/c.pem"), want: clientcredentials.Provider{}},
		"secret before user": {cfg: base("client_secret", "env:S", "username", "u", "password", "env:P"), want: clientcredentials.Provider{}},
		"user and password":  {cfg: base("username", "alice", "password", "env:AZURE_PASSWORD"), want: password.Provider{}},
		"user before file":   {cfg: base("username", "alice", "password", "env:P", "client_assertion_file", "/t"), want: password.Provider{}},
		"federated file":     {cfg: base("client_assertion_file", "/var/run/secrets/azure/tokens/azure-identity-token"), want: workloadidentity.Provider{}},
		"user without pass":  {cfg: base("username", "alice"), wantErr: "AZURE_PASSWORD is not"},
		"no credential":      {cfg: base(), wantErr: "but no credential"},
		"no tenant":          {cfg: plugin.Config{"client_id": "app", "client_secret": "x"}, wantErr: "AZURE_TENANT_ID is not set"},
		"no client":          {cfg: plugin.Config{"tenant_id": "t", "authority": "https://login.microsoftonline.com/t"}, wantErr: "AZURE_CLIENT_ID is not set"},
		"nothing at all":     {cfg: plugin.Config{}, wantErr: "or configure a profile"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Select(tc.cfg)
			if tc.wantErr != "" {
				if plugin.KindOf(err) != plugin.KindConfig || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Select() error = %v, want a configuration error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", tc.want) {
				t.Errorf("Select() = %T, %v; want %T", got, err, tc.want)
			}
		})
	}
}

func TestGetTokenWithNothingSetIsAConfigError(t *testing.T) {
	t.Parallel()
	req := &plugin.Request{Config: plugin.Config{}, Interaction: plugin.NoInteraction{}, Logger: hclog.NewNullLogger()}
	_, err := Provider{}.GetToken(context.Background(), req)
	if plugin.KindOf(err) != plugin.KindConfig || strings.Contains(err.Error(), "\n") {
		t.Errorf("GetToken() error = %q, want a one-line configuration error", err)
	}
}
