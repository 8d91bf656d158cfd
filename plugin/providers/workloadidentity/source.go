package workloadidentity

import (
	"context"
	"net/http"
	"net/url"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Configuration keys of this provider (besides client_id, tenant_id and
// the endpoint keys every provider shares).
const (
	// KeySource names the assertion source: file, github or
	// azure_pipelines. Empty infers it from the keys present.
	KeySource = "federated_token_source"
	// KeyAssertionFile is the file holding the federated token.
	KeyAssertionFile = "client_assertion_file"
	// KeyRequestURL is the OIDC token request URL of GitHub Actions or
	// Azure Pipelines.
	KeyRequestURL = "oidc_request_url"
	// KeyRequestToken is the bearer token for KeyRequestURL (secret).
	KeyRequestToken = "oidc_request_token"
	// KeyAudience is the audience asked of GitHub's OIDC endpoint.
	KeyAudience = "federated_token_audience"
	// KeyServiceConnection is the Azure Pipelines service connection id.
	KeyServiceConnection = "service_connection_id"
)

// The values of KeySource.
const (
	SourceFile           = "file"
	SourceGitHub         = "github"
	SourceAzurePipelines = "azure_pipelines"
)

// sourceFromConfig picks and builds the assertion source. tokenURL is the
// Entra token endpoint, whose cloud decides GitHub's default audience.
func sourceFromConfig(cfg plugin.Config, hc *http.Client, tokenURL string) (source, error) {
	kind := cfg.String(KeySource)
	if kind == "" {
		kind = inferSource(cfg)
	}
	switch kind {
	case SourceFile:
		if err := cfg.Require(KeyAssertionFile); err != nil {
			return nil, err
		}
		return fileSource{path: plugin.ExpandHome(cfg.String(KeyAssertionFile))}, nil
	case SourceGitHub:
		return githubFromConfig(cfg, hc, tokenURL)
	case SourceAzurePipelines:
		return pipelinesFromConfig(cfg, hc)
	case "":
		return nil, plugin.Configf("%s needs a federated token: set %s (AZURE_FEDERATED_TOKEN_FILE), or run in GitHub Actions "+
			"with id-token: write, or in Azure Pipelines with a service connection", Name, KeyAssertionFile)
	}
	return nil, plugin.Configf("key %s: unknown source %q (want %s, %s or %s)", KeySource, kind, SourceFile, SourceGitHub, SourceAzurePipelines)
}

// inferSource picks the source from the keys present: a file first (the
// AKS webhook's), then an Azure Pipelines service connection, then GitHub.
func inferSource(cfg plugin.Config) string {
	switch {
	case cfg.Has(KeyAssertionFile):
		return SourceFile
	case cfg.Has(KeyServiceConnection):
		return SourceAzurePipelines
	case cfg.Has(KeyRequestURL):
		return SourceGitHub
	}
	return ""
}

// fileSource reads the federated token from a file on every call, so a
// token the platform rotated is picked up at once.
type fileSource struct {
	path string
}

// assertion reads and trims the file, as oauth.FileAssertion does.
// Errors name the file, never its content.
func (s fileSource) assertion(ctx context.Context) (plugin.Secret, error) {
	return oauth.FileAssertion(s.path).Get(ctx, "")
}

// requestEndpoint reads and checks the OIDC request URL and its bearer
// token, shared by the GitHub and Azure Pipelines sources.
func requestEndpoint(cfg plugin.Config, what string) (*url.URL, plugin.Secret, error) {
	if err := cfg.Require(KeyRequestURL); err != nil {
		return nil, plugin.Secret{}, plugin.Configf("%s source: %v", what, err)
	}
	raw := cfg.String(KeyRequestURL)
	if err := oauth.CheckURL(raw); err != nil {
		return nil, plugin.Secret{}, plugin.Configf("key %s: %v", KeyRequestURL, err)
	}
	u, _ := url.Parse(raw) // CheckURL parsed it
	tok, err := cfg.Secret(KeyRequestToken)
	if err != nil {
		return nil, plugin.Secret{}, err
	}
	if tok.IsZero() {
		return nil, plugin.Secret{}, plugin.Configf("%s source: key %s is required", what, KeyRequestToken)
	}
	return u, tok, nil
}
