package servers

import (
	"archive/zip"
	"bytes"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// ModuleProxy is a module proxy (the GOPROXY protocol, go help goproxy)
// over HTTPS on 127.0.0.1 that serves one module and answers 401 to every
// request without a bearer token its VerifyFunc accepts: the kind of
// private module server the go command's GOAUTH is for.
type ModuleProxy struct {
	// URL is the proxy's base URL, https://127.0.0.1:PORT, for GOPROXY.
	URL string
	// CertFile is a PEM file holding the server's self-signed certificate,
	// for SSL_CERT_FILE.
	CertFile string
	// Module and Version are the module it serves.
	Module, Version string

	guard *guard
}

// StartModuleProxy starts a module proxy serving example.com/private
// v1.0.0 (one package, private, with func Answer() int). It is closed by
// t.Cleanup.
func StartModuleProxy(t testing.TB, verify VerifyFunc) *ModuleProxy {
	t.Helper()
	p := &ModuleProxy{Module: "example.com/private", Version: "v1.0.0",
		guard: &guard{verify: verify, challenge: `Bearer realm="module proxy"`}}
	files := p.files(t)
	srv := httptest.NewTLSServer(p.guard.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write(body)
	})))
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	p.CertFile = filepath.Join(t.TempDir(), "proxy-cert.pem")
	cert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(p.CertFile, cert, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// files returns the proxy's responses by URL path.
func (p *ModuleProxy) files(t testing.TB) map[string][]byte {
	t.Helper()
	gomod := []byte("module " + p.Module + "\n\ngo 1.21\n")
	base := "/" + p.Module + "/@v/"
	return map[string][]byte{
		base + "list":               []byte(p.Version + "\n"),
		base + p.Version + ".info":  fmt.Appendf(nil, `{"Version":%q,"Time":%q}`, p.Version, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).Format(time.RFC3339)),
		base + p.Version + ".mod":   gomod,
		base + p.Version + ".zip":   p.zip(t, gomod),
		"/" + p.Module + "/@latest": fmt.Appendf(nil, `{"Version":%q}`, p.Version),
	}
}

// zip builds the module zip (golang.org/x/mod/zip layout).
func (p *ModuleProxy) zip(t testing.TB, gomod []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	prefix := p.Module + "@" + p.Version + "/"
	for name, body := range map[string][]byte{
		"go.mod":     gomod,
		"private.go": []byte("// Package private is a module only a signed-in client may download.\npackage private\n\n// Answer returns 42.\nfunc Answer() int { return 42 }\n"),
	} {
		w, err := zw.Create(prefix + name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Requests returns the requests received so far.
func (p *ModuleProxy) Requests() []GuardedRequest { return p.guard.requests() }
