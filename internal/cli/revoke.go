package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// errNoRevocation says that the server offers no revocation endpoint.
var errNoRevocation = errors.New("the server offers no token revocation")

// revokeRefreshToken revokes the refresh token kept in state (RFC 7009)
// with the profile's client authentication, at the revocation_url key or
// else the revocation_endpoint of OpenID discovery (issuer). It reports
// false and no error when the state holds no refresh token (in keyfob's
// own providers' format, grant.State), and errNoRevocation when the
// server offers no revocation.
func (e *Env) revokeRefreshToken(ctx context.Context, p *profile, state []byte) (bool, error) {
	rt := grant.DecodeState(state).RefreshToken
	if rt == "" {
		return false, nil
	}
	resolved, err := host.ResolveConfigWith(p.Values, e.lookupEnv)
	if err != nil {
		return false, err
	}
	cfg := plugin.Config(resolved)
	hc, err := oauth.HTTPClientFromConfig(cfg)
	if err != nil {
		return false, err
	}
	ep, err := revocationEndpoints(ctx, cfg, hc)
	if err != nil {
		return false, err
	}
	req, err := revocationRequest(ctx, cfg, ep, rt)
	if err != nil {
		return false, err
	}
	return true, sendRevocation(hc, req, e.Now())
}

// revocationEndpoints resolves the profile's endpoints, the revocation_url
// key winning over discovery.
func revocationEndpoints(ctx context.Context, cfg plugin.Config, hc *http.Client) (endpoint.Endpoints, error) {
	ep, err := endpoint.Resolve(ctx, cfg, hc)
	if err != nil {
		return ep, err
	}
	if u := cfg.String("revocation_url"); u != "" {
		ep.Revocation = u
	}
	if ep.Revocation == "" {
		return ep, errNoRevocation
	}
	return ep, oauth.CheckURL(ep.Revocation)
}

// revocationRequest builds the POST: token and token_type_hint, client_id,
// and the client authentication (an assertion's audience is still the
// token endpoint, as for every other endpoint of the server).
func revocationRequest(ctx context.Context, cfg plugin.Config, ep endpoint.Endpoints, rt string) (*http.Request, error) {
	auth, err := oauth.AuthFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	id := cfg.String("client_id")
	ar := &oauth.AuthRequest{Form: url.Values{"token": {rt}, "token_type_hint": {"refresh_token"}},
		Header: http.Header{}, TokenURL: ep.Token, ClientID: id, Issuer: ep.Issuer}
	if id != "" {
		ar.Form.Set("client_id", id)
	}
	if err := auth.Apply(ctx, ar); err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.Revocation, strings.NewReader(ar.Form.Encode()))
	if err != nil {
		return nil, plugin.Configf("revocation URL %s: %v", ep.Revocation, err)
	}
	for k, v := range ar.Header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	return req, nil
}

// sendRevocation posts req; 200 is success (RFC 7009 §2.2), anything
// else the server's OAuth error.
func sendRevocation(hc *http.Client, req *http.Request, now time.Time) error {
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s: %v: %w", req.URL.Host, err, plugin.ErrUnavailable)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	_, err = oauth.ParseTokenResponse(body, resp.StatusCode, now)
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		oe.Host = req.URL.Host
	}
	return err
}
