package servers

import (
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ACR is an HTTPS fake of Azure Container Registry's token exchange
// (POST /oauth2/exchange, documented in Azure/acr docs/AAD-OAuth.md): it
// trades a valid access token, sent as grant_type=access_token with
// service=<registry host>, for an ACR refresh token.
type ACR struct {
	// Host is the registry host, 127.0.0.1:PORT.
	Host string
	// CAFile is a PEM file with the server's certificate, for
	// SSL_CERT_FILE.
	CAFile string
	// RefreshToken is the refresh token it hands out (a JWT with an exp
	// three hours ahead).
	RefreshToken string
	tokenGate
}

// StartACR starts the fake on 127.0.0.1; it is closed by t.Cleanup.
func StartACR(t testing.TB, check TokenCheck) *ACR {
	t.Helper()
	a := &ACR{tokenGate: tokenGate{check: check}}
	enc := base64.RawURLEncoding.EncodeToString
	a.RefreshToken = enc([]byte(`{"alg":"RS256","typ":"JWT"}`)) + "." +
		enc(fmt.Appendf(nil, `{"exp":%d,"grant_type":"refresh_token"}`, time.Now().Add(3*time.Hour).Unix())) + "." + randomSecret()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodPost || r.URL.Path != "/oauth2/exchange" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "access_token" || r.PostForm.Get("service") != a.Host {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"errors":[{"code":"BAD_REQUEST","message":"want grant_type=access_token and service"}]}`))
			return
		}
		r.Header.Set("Authorization", "Bearer "+r.PostForm.Get("access_token"))
		if !a.allow(r) {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}`))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"refresh_token": a.RefreshToken})
	}))
	t.Cleanup(srv.Close)
	a.Host = strings.TrimPrefix(srv.URL, "https://")
	a.CAFile = filepath.Join(t.TempDir(), "acr-ca.pem")
	if err := os.WriteFile(a.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o644); err != nil {
		t.Fatal(err)
	}
	return a
}
