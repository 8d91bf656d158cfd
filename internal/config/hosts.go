package config

import (
	"net"
	"net/url"
	"sort"
	"strings"
)

// MatchHost returns the profile whose hosts patterns best match a host
// tool's request (CONTRACT §5), for git, docker, bazel and terraform.
// host may carry its port ("example.com:8443") when port is ""; user is
// the request's username, or ""; urlStr is the request's URL, or "" when
// the protocol gives only a host (then URL-prefix patterns cannot match).
//
// Patterns, from most to least specific:
//
//   - a URL prefix, "https://dev.azure.com/org/": the request URL starts
//     with it (at a path boundary); a longer prefix wins;
//   - "host:port": exact host and port (the port defaults from the URL's
//     scheme);
//   - "host": exact host, any port;
//   - "*.domain" (optionally ":port"): any subdomain of domain; a longer
//     domain wins, then a pattern with a port.
//
// Any pattern may start with "user@" ("alice@dev.azure.com",
// "https://alice@dev.azure.com/org/"): it matches only requests for that
// username, and beats the same pattern without a user. Hosts and schemes
// ignore case; usernames and URL paths do not. Ties go to the profile whose
// name sorts first.
//
// MatchHost reads the hosts keys as written in the file; MatchHosts takes
// them from elsewhere (e.g. after presets have filled them in).
func (f *File) MatchHost(host, port, user, urlStr string) (name string, ok bool) {
	hosts := make(map[string][]string, len(f.ProfileNames()))
	for _, pname := range f.ProfileNames() {
		if list, err := f.profiles[pname].List("hosts"); err == nil {
			hosts[pname] = list
		}
	}
	return MatchHosts(hosts, host, port, user, urlStr)
}

// MatchHosts is MatchHost over the given hosts patterns, keyed by profile
// name, instead of a file's. Unusable patterns never match.
func MatchHosts(hosts map[string][]string, host, port, user, urlStr string) (name string, ok bool) {
	req := newRequest(host, port, user, urlStr)
	names := make([]string, 0, len(hosts))
	for pname := range hosts {
		names = append(names, pname)
	}
	sort.Strings(names)
	var best score
	for _, pname := range names {
		for _, pat := range parsePatterns(hosts[pname]) {
			s, matched := pat.match(req)
			if matched && (!ok || s.beats(best)) {
				name, best, ok = pname, s, true
			}
		}
	}
	return name, ok
}

// parsePatterns parses hosts patterns, skipping unusable entries.
func parsePatterns(list []string) []pattern {
	pats := make([]pattern, 0, len(list))
	for _, s := range list {
		if p, ok := parsePattern(s); ok {
			pats = append(pats, p)
		}
	}
	return pats
}

// request is a host tool's request, normalized for matching.
type request struct {
	host, port, user string
	url              string // scheme://host[:port]/path, lowercased scheme and host; "" if none
}

// newRequest normalizes the parts of a request.
func newRequest(host, port, user, urlStr string) request {
	r := request{user: user}
	u := parseURL(urlStr)
	if u != nil {
		if r.user == "" && u.User != nil {
			r.user = u.User.Username()
		}
		r.url = urlPrefix(u)
		if host == "" {
			host = u.Host
		}
	}
	r.host, r.port = splitHostPort(host, port)
	if r.port == "" && u != nil {
		r.port = defaultPort(u)
	}
	return r
}

// parseURL parses an absolute URL, or returns nil.
func parseURL(s string) *url.URL {
	if !strings.Contains(s, "://") {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil
	}
	return u
}

// urlPrefix renders u without user, query or fragment, with the scheme
// and host lowercased and the scheme's default port dropped.
func urlPrefix(u *url.URL) string {
	scheme := strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	if p := u.Port(); p != "" && p == schemePort(scheme) {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return scheme + "://" + host + u.EscapedPath()
}

// defaultPort is u's port, or its scheme's default.
func defaultPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	return schemePort(strings.ToLower(u.Scheme))
}

// schemePort is the default port of an http(s) scheme, else "".
func schemePort(scheme string) string {
	switch scheme {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}

// splitHostPort separates a port written into host (when port is empty)
// and normalizes the host: lowercase, no brackets, no trailing dot.
func splitHostPort(host, port string) (string, string) {
	if port == "" {
		if h, p, err := net.SplitHostPort(host); err == nil {
			host, port = h, p
		}
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.ToLower(host), port
}
