package servers

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// CargoRegistry is a sparse cargo registry (cargo's index and download
// protocol, with auth-required) over HTTP on 127.0.0.1 that serves one
// crate and answers 401 to every request without a bearer token its
// VerifyFunc accepts.
type CargoRegistry struct {
	// IndexURL is the index for cargo's configuration:
	// sparse+http://127.0.0.1:PORT/index/.
	IndexURL string
	// Crate and Version are the crate it serves.
	Crate, Version string

	guard *guard
}

// StartCargoRegistry starts a registry serving the crate kfdep 0.1.0 (a
// library with pub fn answer() -> u32). It is closed by t.Cleanup.
func StartCargoRegistry(t testing.TB, verify VerifyFunc) *CargoRegistry {
	t.Helper()
	r := &CargoRegistry{Crate: "kfdep", Version: "0.1.0",
		guard: &guard{verify: verify, challenge: `Cargo login_url="https://registry.invalid/me"`}}
	crate := r.crateFile(t)
	sum := sha256.Sum256(crate)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	files := map[string][]byte{
		"/index/config.json":       fmt.Appendf(nil, `{"dl":"%s/dl","api":"%s","auth-required":true}`, base, base),
		"/index/kf/de/kfdep":       fmt.Appendf(nil, `{"name":"kfdep","vers":"0.1.0","deps":[],"cksum":"%s","features":{},"yanked":false}`+"\n", hex.EncodeToString(sum[:])),
		"/dl/kfdep/0.1.0/download": crate,
	}
	srv.Config.Handler = r.guard.wrap(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, ok := files[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		_, _ = w.Write(body)
	}))
	srv.Start()
	t.Cleanup(srv.Close)
	r.IndexURL = "sparse+" + base + "/index/"
	return r
}

// crateFile builds the .crate file: a gzipped tar of the package.
func (r *CargoRegistry) crateFile(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	dir := r.Crate + "-" + r.Version + "/"
	for _, f := range []struct{ name, body string }{
		{"Cargo.toml", fmt.Sprintf("[package]\nname = %q\nversion = %q\nedition = \"2021\"\n", r.Crate, r.Version)},
		{"src/lib.rs", "pub fn answer() -> u32 { 42 }\n"},
	} {
		if err := tw.WriteHeader(&tar.Header{Name: dir + f.name, Mode: 0o644, Size: int64(len(f.body))}); err != nil {
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
func (r *CargoRegistry) Requests() []GuardedRequest { return r.guard.requests() }
