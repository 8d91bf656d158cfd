package oauth

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/secretref"
)

// KeyCAFile names a PEM file of extra certificate authorities to trust
// besides the system's, read by HTTPClientFromConfig.
const KeyCAFile = "ca_file"

// Default transport limits.
const (
	// DefaultDialTimeout bounds a TCP connect.
	DefaultDialTimeout = 10 * time.Second
	// DefaultTLSHandshakeTimeout bounds a TLS handshake.
	DefaultTLSHandshakeTimeout = 10 * time.Second
	// DefaultRequestTimeout bounds one attempt, response body included.
	DefaultRequestTimeout = 30 * time.Second
)

// HTTPOptions configures NewHTTPClient. The zero value gives the defaults.
type HTTPOptions struct {
	// CAFile is a PEM file of certificate authorities trusted in addition
	// to the system pool; "" trusts the system pool only.
	CAFile string
	// DialTimeout bounds a TCP connect; 0 means DefaultDialTimeout.
	DialTimeout time.Duration
	// TLSHandshakeTimeout bounds a TLS handshake; 0 means
	// DefaultTLSHandshakeTimeout.
	TLSHandshakeTimeout time.Duration
	// Timeout bounds one whole request, body included; 0 means
	// DefaultRequestTimeout.
	Timeout time.Duration
}

// NewHTTPClient returns an HTTP client fit for token requests: it never
// follows redirects (the caller sees the 3xx), sets dial, TLS handshake and
// request timeouts, requires TLS 1.2, takes its proxy from the environment
// (HTTPS_PROXY, NO_PROXY) and trusts opts.CAFile besides the system pool.
// Errors about the CA file wrap plugin.ErrConfig.
func NewHTTPClient(opts HTTPOptions) (*http.Client, error) {
	pool, err := loadCAFile(opts.CAFile)
	if err != nil {
		return nil, err
	}
	return buildHTTPClient(opts, pool), nil
}

// HTTPClientFromConfig returns NewHTTPClient with the profile's ca_file.
func HTTPClientFromConfig(cfg plugin.Config) (*http.Client, error) {
	return NewHTTPClient(HTTPOptions{CAFile: plugin.ExpandHome(cfg.String(KeyCAFile))})
}

// defaultHTTPClient is the client of a Client whose HTTPClient is nil.
var defaultHTTPClient = sync.OnceValue(func() *http.Client {
	return buildHTTPClient(HTTPOptions{}, nil)
})

// buildHTTPClient assembles the client; a nil pool means the system pool.
func buildHTTPClient(opts HTTPOptions, pool *x509.CertPool) *http.Client {
	dialer := &net.Dialer{Timeout: orDefault(opts.DialTimeout, DefaultDialTimeout), KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: pool},
		TLSHandshakeTimeout:   orDefault(opts.TLSHandshakeTimeout, DefaultTLSHandshakeTimeout),
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          10,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       orDefault(opts.Timeout, DefaultRequestTimeout),
		CheckRedirect: noRedirects,
	}
}

// noRedirects makes the client return a 3xx response instead of following
// it: a redirected token request could carry credentials elsewhere.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// loadCAFile returns the system pool plus the certificates in path, or nil
// (the system pool) when path is "".
func loadCAFile(path string) (*x509.CertPool, error) {
	if path == "" {
		return nil, nil
	}
	pem, err := secretref.ReadFile(path, 1<<20)
	if err != nil {
		return nil, plugin.Configf("key %s: %v", KeyCAFile, err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, plugin.Configf("key %s: %s holds no PEM certificate", KeyCAFile, path)
	}
	return pool, nil
}

// orDefault returns d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
