package workloadidentity

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Audiences of the federated token Entra expects, per cloud.
const (
	AudienceGlobal = "api://AzureADTokenExchange"
	AudienceUSGov  = "api://AzureADTokenExchangeUSGov"
	AudienceChina  = "api://AzureADTokenExchangeChina"
)

// PipelinesAPIVersion is the Azure DevOps REST API version of the OIDC
// token request, as azidentity's AzurePipelinesCredential sends it.
const PipelinesAPIVersion = "7.1"

// maxAnswerSize caps an OIDC endpoint's answer.
const maxAnswerSize = 1 << 20

// githubSource asks the GitHub Actions OIDC endpoint for a token:
// GET URL&audience=AUD with "Authorization: bearer TOKEN" answers
// {"count": N, "value": "<JWT>"}.
type githubSource struct {
	hc       *http.Client
	url      *url.URL
	token    plugin.Secret
	audience string
}

func githubFromConfig(cfg plugin.Config, hc *http.Client, tokenURL string) (source, error) {
	u, tok, err := requestEndpoint(cfg, "github")
	if err != nil {
		return nil, err
	}
	aud := cfg.String(KeyAudience)
	if aud == "" {
		aud = defaultAudience(tokenURL)
	}
	return githubSource{hc: hc, url: u, token: tok, audience: aud}, nil
}

// assertion fetches a new GitHub OIDC token.
func (s githubSource) assertion(ctx context.Context) (plugin.Secret, error) {
	u := *s.url
	q := u.Query()
	q.Set("audience", s.audience)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return plugin.Secret{}, plugin.Configf("key %s: %v", KeyRequestURL, err)
	}
	req.Header.Set("Authorization", "bearer "+s.token.Reveal())
	req.Header.Set("Accept", "application/json")
	return fetchJWT(s.hc, req, "GitHub Actions OIDC", "value")
}

// pipelinesSource asks Azure Pipelines for a service connection's token:
// POST URL?api-version=7.1&serviceConnectionId=ID with
// "Authorization: Bearer TOKEN" answers {"oidcToken": "<JWT>"}.
type pipelinesSource struct {
	hc           *http.Client
	url          *url.URL
	token        plugin.Secret
	connectionID string
}

func pipelinesFromConfig(cfg plugin.Config, hc *http.Client) (source, error) {
	u, tok, err := requestEndpoint(cfg, "azure_pipelines")
	if err != nil {
		return nil, err
	}
	if err := cfg.Require(KeyServiceConnection); err != nil {
		return nil, plugin.Configf("azure_pipelines source: %v", err)
	}
	return pipelinesSource{hc: hc, url: u, token: tok, connectionID: cfg.String(KeyServiceConnection)}, nil
}

// assertion fetches a new Azure Pipelines OIDC token.
func (s pipelinesSource) assertion(ctx context.Context) (plugin.Secret, error) {
	u := *s.url
	q := u.Query()
	q.Set("api-version", PipelinesAPIVersion)
	q.Set("serviceConnectionId", s.connectionID)
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), nil)
	if err != nil {
		return plugin.Secret{}, plugin.Configf("key %s: %v", KeyRequestURL, err)
	}
	req.Header.Set("Authorization", "Bearer "+s.token.Reveal())
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	// Without it Azure DevOps answers a 302 to its sign-in page.
	req.Header.Set("X-TFS-FedAuthRedirect", "Suppress")
	return fetchJWT(s.hc, req, "Azure Pipelines OIDC", "oidcToken")
}

// fetchJWT sends req and returns the string field of its JSON answer.
// Errors name the endpoint's host and the HTTP status, never the body,
// which holds a token when it is well-formed.
func fetchJWT(hc *http.Client, req *http.Request, what, field string) (plugin.Secret, error) {
	host := req.URL.Host
	resp, err := hc.Do(req)
	if err != nil {
		return plugin.Secret{}, plugin.Errorf(plugin.ErrUnavailable, "%s token request to %s: %v", what, host, oauth.TransportCause(req.Context(), err))
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerSize+1))
	if err != nil {
		return plugin.Secret{}, plugin.Errorf(plugin.ErrUnavailable, "%s token request to %s: reading the answer: %v", what, host, oauth.TransportCause(req.Context(), err))
	}
	if resp.StatusCode != http.StatusOK {
		return plugin.Secret{}, statusError(what, host, resp.StatusCode)
	}
	jwt := stringField(body, field)
	if len(body) > maxAnswerSize || jwt == "" {
		return plugin.Secret{}, plugin.Errorf(plugin.ErrUnavailable, "%s token request to %s: the answer has no %q string", what, host, field)
	}
	return plugin.NewSecret(jwt), nil
}

// stringField returns the trimmed string field of a JSON object, "" when
// body is not an object or the field is absent or not a string.
func stringField(body []byte, field string) string {
	var answer map[string]json.RawMessage
	var s string
	if json.Unmarshal(body, &answer) != nil || json.Unmarshal(answer[field], &s) != nil {
		return ""
	}
	return strings.TrimSpace(s)
}

// statusError classifies a non-200 answer: throttling and server failures
// are unavailability; anything else (401, 403: a bad or expired request
// token, a missing permission) is a refusal.
func statusError(what, host string, status int) error {
	kind := plugin.ErrRefused
	if status == http.StatusTooManyRequests || status >= 500 {
		kind = plugin.ErrUnavailable
	}
	return plugin.Errorf(kind, "%s token request to %s: HTTP %d", what, host, status)
}

// defaultAudience is the federated-token audience Entra expects in the
// cloud of tokenURL: api://AzureADTokenExchange, or the US Government or
// China variant.
func defaultAudience(tokenURL string) string {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return AudienceGlobal
	}
	host := strings.ToLower(u.Hostname())
	switch {
	case strings.HasSuffix(host, ".us"), host == "login.usgovcloudapi.net", host == "login-us.microsoftonline.com":
		return AudienceUSGov
	case strings.HasSuffix(host, ".cn"):
		return AudienceChina
	}
	return AudienceGlobal
}
