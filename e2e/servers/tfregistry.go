package servers

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TerraformRegistry is an HTTPS fake of a Terraform module registry
// (service discovery and the modules.v1 protocol) serving one module,
// keyfob/hello/null 1.0.0. Its versions and download endpoints need a
// valid bearer token; discovery and the module archive do not.
type TerraformRegistry struct {
	// Host is the registry's host as Terraform names it, 127.0.0.1:PORT.
	Host string
	// CAFile is a PEM file with the server's certificate, for
	// SSL_CERT_FILE.
	CAFile string
	// Source is the module source address to use in a configuration.
	Source string
	tokenGate
}

// StartTerraformRegistry starts the fake on 127.0.0.1; it is closed by
// t.Cleanup.
func StartTerraformRegistry(t testing.TB, check TokenCheck) *TerraformRegistry {
	t.Helper()
	reg := &TerraformRegistry{tokenGate: tokenGate{check: check}}
	archive := moduleArchive(t)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/terraform.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"modules.v1":"/v1/modules/"}`))
	})
	mux.HandleFunc("GET /v1/modules/keyfob/hello/null/versions", reg.guard(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"modules":[{"versions":[{"version":"1.0.0"}]}]}`))
	}))
	mux.HandleFunc("GET /v1/modules/keyfob/hello/null/1.0.0/download", reg.guard(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Terraform-Get", "https://"+reg.Host+"/archive/hello.tar.gz")
		w.WriteHeader(http.StatusNoContent)
	}))
	mux.HandleFunc("GET /archive/hello.tar.gz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/gzip")
		_, _ = w.Write(archive)
	})
	srv := httptest.NewTLSServer(mux)
	t.Cleanup(srv.Close)
	reg.Host = strings.TrimPrefix(srv.URL, "https://")
	reg.Source = reg.Host + "/keyfob/hello/null"
	reg.CAFile = filepath.Join(t.TempDir(), "registry-ca.pem")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(reg.CAFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return reg
}

// guard answers 401 unless the request carries a valid token.
func (reg *TerraformRegistry) guard(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !reg.allow(r) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"errors":["not authorized"]}`))
			return
		}
		next(w, r)
	}
}

// moduleArchive is a .tar.gz holding main.tf with one output.
func moduleArchive(t testing.TB) []byte {
	t.Helper()
	var b bytes.Buffer
	gz := gzip.NewWriter(&b)
	tw := tar.NewWriter(gz)
	mainTF := []byte("output \"greeting\" {\n  value = \"hello from the keyfob e2e registry\"\n}\n")
	if err := tw.WriteHeader(&tar.Header{Name: "main.tf", Mode: 0o644, Size: int64(len(mainTF))}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write(mainTF); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
