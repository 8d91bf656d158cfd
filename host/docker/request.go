package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxInput bounds what a helper reads from stdin.
const MaxInput = 1 << 20

// Server is the registry a request names.
type Server struct {
	// URL is the server URL as the client sent it, trimmed; the answer
	// echoes it.
	URL string
	// Scheme is the URL's scheme, or "" when it has none (the usual case:
	// docker sends a bare host).
	Scheme string
	// Host is the registry host, with ":port" when given, lowercased.
	Host string
	// Path is the rest after the host, e.g. "/org/repo" from
	// go-containerregistry's repository lookups, or "/v1/" of Docker Hub's
	// key "https://index.docker.io/v1/"; "" when none.
	Path string
}

// ErrNoServerURL is docker-credential-helpers' error for an empty server
// URL; its text is what clients recognise.
var ErrNoServerURL = errors.New("no credentials server URL")

// ParseServer reads a server URL (get, erase): the whole input, with
// surrounding white space trimmed.
func ParseServer(r io.Reader) (Server, error) {
	b, err := readAll(r)
	if err != nil {
		return Server{}, err
	}
	return ParseServerURL(string(b))
}

// ParseServerURL splits a server URL: "registry.example.com",
// "localhost:5000", "https://index.docker.io/v1/" or "host/org/repo".
func ParseServerURL(s string) (Server, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Server{}, ErrNoServerURL
	}
	srv := Server{URL: s}
	rest := s
	if scheme, after, ok := strings.Cut(s, "://"); ok {
		srv.Scheme, rest = strings.ToLower(scheme), after
		if srv.Scheme != "https" && srv.Scheme != "http" {
			return Server{}, fmt.Errorf("server URL %q: scheme %q is not http or https", s, scheme)
		}
	}
	host, path, slash := strings.Cut(rest, "/")
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:] // never match on credentials written into a URL
	}
	if host == "" || strings.ContainsAny(host, " \t\r\n?#") {
		return Server{}, fmt.Errorf("server URL %q has no valid host", s)
	}
	srv.Host = strings.ToLower(host)
	if slash {
		srv.Path = "/" + path
	}
	return srv, nil
}

// RequestURL is the server as a URL for hosts patterns that are URL
// prefixes: its own scheme, else https (registries are HTTPS unless
// configured insecure).
func (s Server) RequestURL() string {
	scheme := s.Scheme
	if scheme == "" {
		scheme = "https"
	}
	return scheme + "://" + s.Host + s.Path
}

// Credentials is the JSON of get and store, with the field names clients
// expect exactly.
type Credentials struct {
	// ServerURL is the server URL of the request.
	ServerURL string `json:"ServerURL"`
	// Username is the user name; IdentityTokenUser marks Secret as an
	// identity token.
	Username string `json:"Username"`
	// Secret is the password or identity token. It is a secret.
	Secret string `json:"Secret"`
}

// ParseStore reads the credentials of a store request.
func ParseStore(r io.Reader) (Credentials, error) {
	b, err := readAll(r)
	if err != nil {
		return Credentials{}, err
	}
	var c Credentials
	if err := json.Unmarshal(b, &c); err != nil {
		return Credentials{}, fmt.Errorf("store: %v", err)
	}
	if strings.TrimSpace(c.ServerURL) == "" {
		return Credentials{}, ErrNoServerURL
	}
	return c, nil
}

// readAll reads at most MaxInput bytes.
func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxInput {
		return nil, errors.New("input too large")
	}
	return b, nil
}
