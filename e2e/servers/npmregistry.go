package servers

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// NPMRegistry is an npm registry (packument and tarball endpoints) over
// HTTP on 127.0.0.1 that serves one package and answers 401 to every
// request without a bearer token its VerifyFunc accepts.
type NPMRegistry struct {
	// URL is the registry URL with a trailing slash, for .npmrc.
	URL string
	// Package and Version are the package it serves.
	Package, Version string

	guard *guard
}

// StartNPMRegistry starts a registry serving kf-dep 1.0.0 (index.js
// exporting 42). It is closed by t.Cleanup.
func StartNPMRegistry(t testing.TB, verify VerifyFunc) *NPMRegistry {
	t.Helper()
	r := &NPMRegistry{Package: "kf-dep", Version: "1.0.0",
		guard: &guard{verify: verify, challenge: `Bearer realm="npm"`}}
	tgz := r.tarball(t)
	srv := httptest.NewUnstartedServer(nil)
	r.URL = "http://" + srv.Listener.Addr().String() + "/"
	tarballPath := "/" + r.Package + "/-/" + r.Package + "-" + r.Version + ".tgz"
	packument := r.packument(t, tgz, r.URL+tarballPath[1:])
	srv.Config.Handler = r.guard.wrap(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		switch req.URL.Path {
		case "/" + r.Package:
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(packument)
		case tarballPath:
			_, _ = w.Write(tgz)
		default:
			http.NotFound(w, req)
		}
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	return r
}

// packument is the package document naming the tarball and its digests.
func (r *NPMRegistry) packument(t testing.TB, tgz []byte, tarballURL string) []byte {
	t.Helper()
	s1, s512 := sha1.Sum(tgz), sha512.Sum512(tgz)
	doc := map[string]any{
		"name":      r.Package,
		"dist-tags": map[string]string{"latest": r.Version},
		"versions": map[string]any{r.Version: map[string]any{
			"name": r.Package, "version": r.Version,
			"dist": map[string]string{"tarball": tarballURL, "shasum": hex.EncodeToString(s1[:]),
				"integrity": "sha512-" + base64.StdEncoding.EncodeToString(s512[:])},
		}},
	}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tarball builds the package tarball: a gzipped tar under package/.
func (r *NPMRegistry) tarball(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct{ name, body string }{
		{"package/package.json", `{"name":"` + r.Package + `","version":"` + r.Version + `","main":"index.js"}`},
		{"package/index.js", "module.exports = 42\n"},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Requests returns the requests received so far.
func (r *NPMRegistry) Requests() []GuardedRequest { return r.guard.requests() }
