// Package acr trades a Microsoft Entra access token for an Azure Container
// Registry refresh token, the way az acr login does, through the
// registry's documented exchange endpoint (Azure/acr docs/AAD-OAuth.md):
//
//	POST https://REGISTRY/oauth2/exchange
//	Content-Type: application/x-www-form-urlencoded
//
//	grant_type=access_token&service=REGISTRY&tenant=TENANT&access_token=AT
//
// answered with {"refresh_token": "..."}. The refresh token is what a
// docker credential helper returns with the user name "<token>" (an
// identity token): docker then gets registry access tokens with it. The
// Entra token must be for the registry's audience,
// https://containerregistry.azure.net/.default (preset "acr").
//
// It is a separate package from host/docker because it needs net/http,
// which the lean front executable does not link.
package acr

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host/jwtexp"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// RefreshToken is an ACR refresh token.
type RefreshToken struct {
	// Token is the refresh token. It is a secret.
	Token string
	// ExpiresAt is its exp claim; zero when it has none.
	ExpiresAt time.Time
}

// Endpoint is the exchange URL of registry (host[:port]).
func Endpoint(registry string) string {
	return "https://" + registry + "/oauth2/exchange"
}

// Exchange posts accessToken to endpoint (see Endpoint) for registry.
// tenant may be empty. A 401 or 403 wraps errdefs.ErrRefused; a 5xx, a 429
// or a transport error wraps errdefs.ErrUnavailable. Errors never contain
// a token.
func Exchange(ctx context.Context, client *http.Client, endpoint, registry, tenant, accessToken string) (RefreshToken, error) {
	form := url.Values{"grant_type": {"access_token"}, "service": {registry}, "access_token": {accessToken}}
	if tenant != "" {
		form.Set("tenant", tenant)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return RefreshToken{}, fmt.Errorf("acr exchange for %s: %v", registry, err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return RefreshToken{}, fmt.Errorf("acr exchange for %s: %v: %w", registry, redactURLError(err), errdefs.ErrUnavailable)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return RefreshToken{}, fmt.Errorf("acr exchange for %s: reading the answer: %v: %w", registry, err, errdefs.ErrUnavailable)
	}
	if resp.StatusCode != http.StatusOK {
		return RefreshToken{}, statusError(registry, resp.StatusCode, body)
	}
	var out struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.RefreshToken == "" {
		return RefreshToken{}, fmt.Errorf("acr exchange for %s: the answer holds no refresh_token", registry)
	}
	exp, _ := jwtexp.Expiry(out.RefreshToken)
	return RefreshToken{Token: out.RefreshToken, ExpiresAt: exp}, nil
}

// statusError describes a failed exchange from ACR's error document
// ({"errors":[{"code","message"}]}).
func statusError(registry string, status int, body []byte) error {
	var doc struct {
		Errors []struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	detail := http.StatusText(status)
	if json.Unmarshal(body, &doc) == nil && len(doc.Errors) > 0 {
		detail = strings.TrimSpace(doc.Errors[0].Code + ": " + doc.Errors[0].Message)
	}
	kind := errdefs.ErrRefused
	if status >= 500 || status == http.StatusTooManyRequests {
		kind = errdefs.ErrUnavailable
	}
	return fmt.Errorf("acr exchange for %s: HTTP %d: %s: %w", registry, status, oneLine(detail), kind)
}

// redactURLError drops the URL from a *url.Error (it holds no secret, but
// its text repeats the endpoint).
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}

// oneLine keeps a message on one line, control characters dropped.
func oneLine(s string) string { return errdefs.OneLine(s) }
