package goauth

import (
	"fmt"
	"net/url"
	"strings"
)

// Origin returns "https://host[:port]" of an https URL: the prefix under
// which the go command reuses a credential for the whole server.
func Origin(rawURL string) (string, error) {
	u, err := parseHTTPS(rawURL)
	if err != nil {
		return "", err
	}
	return "https://" + u.Host, nil
}

// PrefixFor returns the prefix to answer a request for rawURL with: the
// longest https URL-prefix pattern among hosts (a profile's hosts
// entries) under which rawURL lies, else the URL's origin.
func PrefixFor(rawURL string, hosts []string) (string, error) {
	origin, err := Origin(rawURL)
	if err != nil {
		return "", err
	}
	u, _ := parseHTTPS(rawURL)
	target := strings.ToLower(origin) + u.EscapedPath()
	best := ""
	for _, h := range hosts {
		p, ok := urlPattern(h)
		if ok && len(p) > len(best) && underPrefix(target, p) {
			best = p
		}
	}
	if best == "" {
		return origin, nil
	}
	return best, nil
}

// Prefixes turns a profile's hosts patterns into the prefixes that can be
// announced before any request is made: "host" and "host:port" become
// https://host[:port], https URL patterns are kept (without a trailing
// slash). Wildcards ("*.example.com"), patterns for one user
// ("alice@host") and other schemes cannot be expressed and are skipped.
// Duplicates are dropped; the order is kept.
func Prefixes(hosts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, h := range hosts {
		p, ok := hostPrefix(h)
		if ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// hostPrefix converts one hosts pattern, reporting false when it cannot
// be a GOAUTH prefix.
func hostPrefix(h string) (string, bool) {
	h = strings.TrimSpace(h)
	if strings.Contains(h, "://") {
		return urlPattern(h)
	}
	if h == "" || strings.ContainsAny(h, "@*/ \t\r\n") {
		return "", false
	}
	p := "https://" + strings.TrimSuffix(strings.ToLower(strings.TrimSuffix(h, ".")), ":443")
	if checkPrefix(p) != nil {
		return "", false
	}
	return p, true
}

// urlPattern normalizes an https URL pattern without user, query or
// fragment: lowercase scheme and host, no default port, no trailing slash.
func urlPattern(h string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(h))
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return "", false
	}
	host := strings.TrimSuffix(strings.ToLower(u.Host), ":443")
	p := "https://" + host + strings.TrimSuffix(u.EscapedPath(), "/")
	if checkPrefix(p) != nil {
		return "", false
	}
	return p, true
}

// underPrefix reports whether target equals prefix or lies below it at a
// path boundary.
func underPrefix(target, prefix string) bool {
	rest, ok := strings.CutPrefix(target, prefix)
	return ok && (rest == "" || rest[0] == '/')
}

// parseHTTPS parses an absolute https URL.
func parseHTTPS(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil || !strings.EqualFold(u.Scheme, "https") || u.Host == "" || u.User != nil {
		return nil, fmt.Errorf("goauth: %q is not an https URL", rawURL)
	}
	return u, nil
}
