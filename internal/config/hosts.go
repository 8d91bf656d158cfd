package config

import (
	"net"
	"net/url"
	"strings"
)

// MatchHost returns the profile whose hosts patterns best match a host
// tool's request (CONTRACT §5), for the host protocols that select by host.
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
	m := NewHostMatcher(host, port, user, urlStr)
	f.EachHosts(func(h ProfileHosts) { m.Add(h.Name, h.Hosts) })
	return m.Best()
}

// MatchHosts is MatchHost over the given hosts patterns, keyed by profile
// name, instead of a file's. Unusable patterns never match.
func MatchHosts(hosts map[string][]string, host, port, user, urlStr string) (name string, ok bool) {
	m := NewHostMatcher(host, port, user, urlStr)
	for pname, list := range hosts {
		m.Add(pname, list)
	}
	return m.Best()
}

// ProfileHosts is what host matching reads of one profile.
type ProfileHosts struct {
	// Name is the profile's name.
	Name string
	// Hosts are its hosts patterns as written in the file, nil when it
	// has none; the slice is the caller's only during the call.
	Hosts []string
	// Written reports whether the profile has a hosts key, Preset
	// whether it has a preset key (which may fill in hosts).
	Written, Preset bool
}

// EachHosts calls fn for every profile, in no particular order, with its
// hosts patterns as written. Of a file that plainParse read it reads only
// the hosts keys, not whole profiles.
func (f *File) EachHosts(fn func(ProfileHosts)) {
	switch {
	case f == nil:
	case f.plain != nil:
		f.plain.eachHosts(f.Path, fn)
	default:
		for name, p := range f.profiles {
			list, _ := p.List("hosts")
			_, written := p.Values["hosts"]
			_, preset := p.Values["preset"]
			fn(ProfileHosts{Name: name, Hosts: list, Written: written, Preset: preset})
		}
	}
}

// HostMatcher finds the profile whose hosts patterns best match one
// request, as MatchHost describes, from patterns added profile by
// profile in any order. Patterns that cannot name the request's host are
// skipped before they are parsed, so adding many costs little.
type HostMatcher struct {
	req request
	// urlHost is the host of the request's URL as urlPrefix writes it.
	urlHost         string
	hasHost, hasURL bool
	name            string
	best            score
	ok              bool
}

// NewHostMatcher starts matching the request of MatchHost's arguments.
func NewHostMatcher(host, port, user, urlStr string) *HostMatcher {
	m := &HostMatcher{req: newRequest(host, port, user, urlStr)}
	m.hasHost = m.req.host != ""
	if m.req.url != "" {
		rest := m.req.url[strings.Index(m.req.url, "://")+3:]
		m.urlHost, _, _ = strings.Cut(rest, "/")
		m.hasURL = true
	}
	return m
}

// Add considers the profile name's patterns.
func (m *HostMatcher) Add(name string, patterns []string) {
	for _, s := range patterns {
		if !m.mayMatch(s) {
			continue
		}
		p, ok := parsePattern(s)
		if !ok {
			continue
		}
		sc, matched := p.match(m.req)
		if matched && (!m.ok || sc.beats(m.best) || (!m.best.beats(sc) && name < m.name)) {
			m.name, m.best, m.ok = name, sc, true
		}
	}
}

// Best returns the best match: a more specific pattern wins, then the
// profile name that sorts first.
func (m *HostMatcher) Best() (name string, ok bool) { return m.name, m.ok }

// mayMatch reports false for a pattern that cannot match the request,
// before it is parsed: a host pattern when the request has no host; a
// URL pattern, which url.Parse parses at some cost, when the host it
// names is not the request URL's host (see urlPatternHost). URL patterns
// of other characters than ASCII, or with a percent sign (which
// url.Parse decodes), are always parsed.
func (m *HostMatcher) mayMatch(s string) bool {
	if !strings.Contains(s, "://") {
		return m.hasHost
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '%' {
			return true
		}
	}
	host, trimmed := urlPatternHost(s)
	return m.hasURL && (strings.EqualFold(host, m.urlHost) || strings.EqualFold(trimmed, m.urlHost))
}

// urlPatternHost is the host (with any port) of the URL pattern s as
// url.Parse reads it when it has no percent sign: after the first "://",
// up to a path, query or fragment, without a user; and the same without
// the scheme's default port, as urlPrefix writes it. A URL prefix
// matches only a URL of the same host.
func urlPatternHost(s string) (host, trimmed string) {
	s = strings.TrimSpace(s)
	i := strings.Index(s, "://")
	host = s[i+3:]
	if j := strings.IndexAny(host, "/?#"); j >= 0 {
		host = host[:j]
	}
	if j := strings.LastIndexByte(host, '@'); j >= 0 {
		host = host[j+1:]
	}
	trimmed = host
	if p := schemePort(strings.ToLower(s[:i])); p != "" {
		trimmed = strings.TrimSuffix(host, ":"+p)
	}
	return host, trimmed
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
	if port == "" && strings.IndexByte(host, ':') >= 0 { // else SplitHostPort fails, at the cost of an error
		if h, p, err := net.SplitHostPort(host); err == nil {
			host, port = h, p
		}
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	return strings.ToLower(host), port
}
