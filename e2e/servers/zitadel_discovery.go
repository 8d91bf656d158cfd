package servers

import (
	"net/http"
	"strings"
	"sync/atomic"
)

// ZitadelCountsDiscovery makes StartZitadel's server count the GET
// requests for its OpenID discovery document in n.
func ZitadelCountsDiscovery(n *atomic.Int64) ZitadelOption {
	return func(z *Zitadel) {
		z.middleware = append(z.middleware, func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
					n.Add(1)
				}
				next.ServeHTTP(w, r)
			})
		})
	}
}
