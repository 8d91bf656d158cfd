package msi

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Options configure Listen. The zero value is valid.
type Options struct {
	// Rate is how many requests per second are served once Burst is
	// spent; 0 means DefaultRate.
	Rate float64
	// Burst is how many requests may come at once; 0 means DefaultBurst.
	Burst int
	// Now is the clock of the rate limit; nil means time.Now.
	Now func() time.Time
}

// Default request rate bounds: far above what an SDK that caches its
// tokens sends, far below what would let a local process flood the
// token source.
const (
	DefaultRate  = 10
	DefaultBurst = 50
)

// Path is the endpoint's path; other paths are answered 404.
const Path = "/msi/token"

// Server is a running managed-identity endpoint on 127.0.0.1. Its methods
// are safe for concurrent use.
type Server struct {
	tokens TokenFunc
	secret string
	addr   string // the listener's host:port, which Host must equal
	limit  *bucket
	srv    *http.Server
	done   chan struct{}
}

// Listen starts a Server on 127.0.0.1 on a random port with a fresh
// 256-bit secret, serving tokens from tokens until Close.
func Listen(tokens TokenFunc, opts Options) (*Server, error) {
	if tokens == nil {
		return nil, errors.New("msi: Listen needs a TokenFunc")
	}
	secret, err := newSecret()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &Server{tokens: tokens, secret: secret, addr: ln.Addr().String(), limit: opts.bucket(), done: make(chan struct{})}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second,
		IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10, ErrorLog: log.New(io.Discard, "", 0)}
	go s.serve(ln)
	return s, nil
}

// bucket is the rate limit o describes.
func (o Options) bucket() *bucket {
	rate, burst, now := o.Rate, o.Burst, o.Now
	if rate <= 0 {
		rate = DefaultRate
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	if now == nil {
		now = time.Now
	}
	return newBucket(rate, burst, now)
}

func (s *Server) serve(ln net.Listener) {
	defer close(s.done)
	_ = s.srv.Serve(ln) // http.ErrServerClosed after Close
}

// newSecret is 32 bytes from crypto/rand, hex-encoded.
func newSecret() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// Endpoint is the endpoint's URL, http://127.0.0.1:PORT/msi/token.
func (s *Server) Endpoint() string { return "http://" + s.addr + Path }

// Env is what a client process needs in its environment, as NAME=value
// entries: IDENTITY_ENDPOINT and IDENTITY_HEADER (2019-08-01),
// MSI_ENDPOINT and MSI_SECRET (2017-09-01). Two of them hold the secret:
// give them to the client's environment only, never to its argv or a log.
func (s *Server) Env() []string {
	return []string{"IDENTITY_ENDPOINT=" + s.Endpoint(), "IDENTITY_HEADER=" + s.secret,
		"MSI_ENDPOINT=" + s.Endpoint(), "MSI_SECRET=" + s.secret}
}

// Close stops the Server: the port is closed and open connections are
// dropped when it returns.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	return err
}
