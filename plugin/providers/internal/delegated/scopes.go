package delegated

import "slices"

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
