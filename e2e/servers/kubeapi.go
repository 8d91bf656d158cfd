package servers

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// KubeAPI is an HTTPS stub of a Kubernetes API server: GET /version
// answers with a version document when the request carries a valid bearer
// token, and 401 otherwise. kubectl never sends exec credentials over
// plain HTTP, hence TLS (a self-signed certificate: kubeconfigs use
// insecure-skip-tls-verify).
type KubeAPI struct {
	// URL is the server's https URL.
	URL string
	tokenGate
}

// KubeVersion is the gitVersion /version reports.
const KubeVersion = "v1.32.0-keyfob-e2e"

// StartKubeAPI starts the stub on 127.0.0.1; it is closed by t.Cleanup.
func StartKubeAPI(t testing.TB, check TokenCheck) *KubeAPI {
	t.Helper()
	k := &KubeAPI{tokenGate: tokenGate{check: check}}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if !k.allow(r) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}`))
			return
		}
		if r.URL.Path != "/version" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"NotFound","code":404}`))
			return
		}
		_, _ = w.Write([]byte(`{"major":"1","minor":"32","gitVersion":"` + KubeVersion + `","platform":"linux/amd64"}`))
	}))
	t.Cleanup(srv.Close)
	k.URL = srv.URL
	return k
}
