package azurecli

import (
	"context"
	"encoding/base64"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// Name is the provider name used in profiles.
const Name = "azure_cli"

// Configuration keys of this provider (besides scopes, resource and
// tenant_id).
const (
	// KeyAzPath names the az executable; empty looks it up on PATH.
	KeyAzPath = "az_path"
	// KeySubscription is passed as --subscription.
	KeySubscription = "subscription"
	// KeyConfigDir is az's configuration directory, AZURE_CONFIG_DIR.
	KeyConfigDir = "azure_config_dir"
)

// DefaultTimeout bounds one az run.
const DefaultTimeout = 30 * time.Second

// Info describes the provider.
var Info = plugin.ProviderInfo{
	Name:        Name,
	Description: "token from an existing az login",
	Keys: []plugin.KeyInfo{
		{Name: "scopes", List: true, Description: "scopes, passed as --scope"},
		{Name: "resource", Description: "resource, passed as --resource (when no scopes are given)"},
		{Name: "tenant_id", Description: "tenant, passed as --tenant"},
		{Name: KeySubscription, Description: "subscription name or id, passed as --subscription"},
		{Name: KeyAzPath, Description: "the az executable (default: az on PATH)"},
		{Name: KeyConfigDir, Description: "az configuration directory (AZURE_CONFIG_DIR)"},
	},
}

// Provider implements plugin.Provider. The zero value is ready to use and
// safe for concurrent use.
type Provider struct {
	// Timeout bounds one az run; 0 means DefaultTimeout.
	Timeout time.Duration
}

// GetToken asks az for a token. The token is marked NoCache: it lives in
// az's session, which az logout must be able to end.
func (p Provider) GetToken(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	cmd, err := commandFor(req)
	if err != nil {
		return nil, err
	}
	if req.Claims != "" {
		return nil, claimsError(cmd, req.Claims)
	}
	path, err := findAz(req.Config.String(KeyAzPath))
	if err != nil {
		return nil, err
	}
	req.Logger.Debug("running the Azure CLI", "path", path, "args", strings.Join(cmd.args(), " "))
	out, err := p.run(ctx, path, cmd, childEnv(req.Config.String(KeyConfigDir)))
	if err != nil {
		return nil, err
	}
	tok, err := parseOutput(out, time.Now())
	if err != nil {
		return nil, err
	}
	req.Logger.Debug("Azure CLI token", "access_token_fp", tok.AccessToken.Fingerprint(), "expires_at", tok.ExpiresAt)
	tok.NoCache = true
	return tok, nil
}

// claimsError tells the user how to meet a claims challenge: az can only
// do it in an interactive sign-in.
func claimsError(cmd *command, claims string) error {
	login := "az login" + cmd.tenantArg() + " --claims-challenge " + base64.StdEncoding.EncodeToString([]byte(claims))
	if len(cmd.scopes) > 0 {
		login += " --scope " + strings.Join(cmd.scopes, " ")
	}
	return plugin.Errorf(plugin.ErrInteractionRequired, "the Azure CLI cannot meet a claims challenge without a sign-in; run: %s", login)
}
