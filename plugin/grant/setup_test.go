package grant

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// expiredCertFile writes a PEM certificate and key that expired a day ago.
func expiredCertFile(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "old.example"},
		NotBefore: time.Now().Add(-48 * time.Hour), NotAfter: time.Now().Add(-24 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	path := filepath.Join(t.TempDir(), "old.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNewSetupPassesTheIssuer(t *testing.T) {
	t.Parallel()
	req := &plugin.Request{Config: plugin.Config{
		"client_id": "app", "client_secret": "s", "authority": "https://login.microsoftonline.com/contoso",
	}}
	s, err := NewSetup(t.Context(), req)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{s.Client.TokenURL, s.Client.Issuer}
	want := []string{"https://login.microsoftonline.com/contoso/oauth2/v2.0/token", "https://login.microsoftonline.com/contoso/v2.0"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("[TokenURL, Issuer] (-want +got):\n%s", diff)
	}
}

// TestNewSetupChecksTheCertificateFirst checks that an expired client
// certificate is reported before any request, OpenID discovery included.
func TestNewSetupChecksTheCertificateFirst(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.Error(w, "unexpected", http.StatusInternalServerError)
	}))
	t.Cleanup(srv.Close)
	cert := expiredCertFile(t)
	req := &plugin.Request{Config: plugin.Config{"client_id": "app", "issuer": srv.URL, "client_certificate": cert}}
	_, err := NewSetup(t.Context(), req)
	if err == nil || plugin.KindOf(err) != plugin.KindConfig ||
		!strings.Contains(err.Error(), "key client_certificate: "+cert+`: certificate "CN=old.example" expired on `) {
		t.Errorf("NewSetup() = %v, want a config error naming the file, subject and expiry", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the server, want none", n)
	}
}
