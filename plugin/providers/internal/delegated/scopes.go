package delegated

import (
	"slices"
	"strings"

	"github.com/keyfob/keyfob/plugin/grant"
)

// OIDCScopes are added to a delegated request, as MSAL does, so that the
// server returns a refresh token (offline_access) and an ID token naming
// the user (openid profile).
var OIDCScopes = []string{"offline_access", "openid", "profile"}

// WithOIDCScopes returns scopes followed by those OIDCScopes it lacks.
// scopes itself is not modified.
func WithOIDCScopes(scopes []string) []string {
	out := slices.Clone(scopes)
	for _, s := range OIDCScopes {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// RefreshScopes are what a refresh of s's grant asks for. RFC 6749 §6 lets
// a refresh ask for no more than the grant included, and OpenID Connect
// Core §11 lets a server drop offline_access (openid and profile too, for
// a server that is not an OpenID provider for this client) while still
// issuing a refresh token; asking for them again is invalid_scope at a
// strict server. So a refresh asks for the scopes the caller wants, plus
// those OIDCScopes the grant included (granted, space-separated). Entra is
// left as MSAL drives it — every refresh asks for the resource scopes with
// offline_access openid profile, which it always accepts — and so is a
// state that does not say what was granted (one stored before keyfob kept
// it): the result is nil (Setup.Scopes) for both. Dropping offline_access
// blindly would cost the rotated refresh token at servers (fosite) that
// issue one only while offline_access is asked for.
func RefreshScopes(s *grant.Setup, granted string) []string {
	if s.Endpoints.IsEntra() || granted == "" {
		return nil
	}
	have := strings.Fields(granted)
	out := []string{}
	for _, sc := range s.Scopes {
		if !slices.Contains(OIDCScopes, sc) || slices.Contains(have, sc) {
			out = append(out, sc)
		}
	}
	return out
}
