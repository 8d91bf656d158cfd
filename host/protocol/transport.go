package protocol

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// Transport is a host protocol's allow-list of the URL schemes a token
// may travel over. A scheme it does not list never gets a token: a
// deny-list of the plain-text ones would let ws://, ftp:// or file://
// through.
type Transport struct {
	// Encrypted are the schemes over which a token may go to any host.
	Encrypted []string
	// Loopback are the plain-text schemes over which a token may go to a
	// loopback address only (CONTRACT §7), never to another machine.
	Loopback []string
}

// The allow-lists of keyfob's host protocols.
var (
	// HTTPS is the allow-list of the protocols that speak HTTP (all but
	// Bazel's): https, and http to loopback.
	HTTPS = Transport{Encrypted: []string{"https"}, Loopback: []string{"http"}}
	// Bazel adds gRPC, which Bazel's credential-helper spec has for
	// remote caches and executors: grpcs, and grpc to loopback.
	Bazel = Transport{Encrypted: []string{"https", "grpcs"}, Loopback: []string{"http", "grpc"}}
)

// Note returns the line keyfob prints when it refuses to send the token
// of profile name ("" when not yet known) to rawURL under t, or "" when
// it may. Every host protocol prints the same note.
func (t Transport) Note(name, rawURL string) string {
	scheme, host, ok := schemeHost(rawURL)
	switch {
	case !ok:
		return fmt.Sprintf("not sending %s to %q: not an absolute URL with a host", tokenOf(name), rawURL)
	case slices.Contains(t.Encrypted, scheme):
		return ""
	case slices.Contains(t.Loopback, scheme) && isLoopback(host):
		return ""
	case slices.Contains(t.Loopback, scheme):
		return fmt.Sprintf("not sending %s in plain text to %s (use %s)", tokenOf(name), host, t.use())
	}
	return fmt.Sprintf("not sending %s over %s:// to %s (use %s)", tokenOf(name), scheme, host, t.use())
}

// tokenOf names the token a note is about.
func tokenOf(name string) string {
	if name == "" {
		return "a token"
	}
	return fmt.Sprintf("the token of profile %q", name)
}

// use lists t's encrypted schemes for a note: "https", "https or grpcs".
func (t Transport) use() string { return strings.Join(t.Encrypted, " or ") }

// schemeHost returns rawURL's scheme, lowercased, and its host name
// without port, brackets or user; false when rawURL has no scheme or no
// host.
func schemeHost(rawURL string) (scheme, host string, ok bool) {
	scheme, rest, found := strings.Cut(rawURL, "://")
	if !found || scheme == "" {
		return "", "", false
	}
	authority := rest
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		authority = rest[:i]
	}
	u, err := url.Parse("x://" + authority)
	if err != nil || u.Hostname() == "" {
		return "", "", false
	}
	return strings.ToLower(scheme), u.Hostname(), true
}

// isLoopback reports whether host is localhost or a loopback address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
