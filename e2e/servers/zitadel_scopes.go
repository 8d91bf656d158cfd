package servers

import (
	"net/http"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ZitadelResourceScope is the one non-OpenID scope the native client may
// be granted: a resource scope, for tests of what a refresh asks for.
const ZitadelResourceScope = storage.CustomScope

// ZitadelDropsSignInScopes makes StartZitadel's server grant no OpenID
// scopes in an authorization request: openid and profile are dropped
// from its scope before zitadel sees it, as the consent policy of a
// server that is no OpenID provider for this client would drop them
// (OpenID Connect Core §11 lets a server drop offline_access the same
// way; zitadel then issues no refresh token, so offline_access is kept).
// The grant then holds the resource scope and offline_access only, and
// zitadel enforces RFC 6749 §6 on refresh: a refresh that asks for a
// scope the grant did not include is answered invalid_scope.
func ZitadelDropsSignInScopes() ZitadelOption {
	return func(z *Zitadel) { z.middleware = append(z.middleware, dropSignInScopes) }
}

// dropSignInScopes rewrites the scope of GET /authorize.
func dropSignInScopes(next http.Handler) http.Handler {
	authorize := op.DefaultEndpoints.Authorization.Relative()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == authorize {
			q := r.URL.Query()
			scopes := slices.DeleteFunc(strings.Fields(q.Get("scope")), func(s string) bool {
				return s == oidc.ScopeOpenID || s == oidc.ScopeProfile
			})
			q.Set("scope", strings.Join(scopes, " "))
			r.URL.RawQuery = q.Encode()
		}
		next.ServeHTTP(w, r)
	})
}
