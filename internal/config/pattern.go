package config

import (
	"strings"
)

// tier ranks the kinds of hosts pattern; a higher tier is more specific.
type tier int

const (
	tierWildcard tier = iota + 1 // *.domain
	tierHost                     // host
	tierHostPort                 // host:port
	tierURL                      // https://host/path
)

// pattern is one parsed entry of a profile's hosts.
type pattern struct {
	tier tier
	user string // "" matches any user
	host string // host, or the domain of a wildcard (without "*.")
	port string // "" matches any port
	url  string // the normalized prefix of a URL pattern
}

// score is how specifically a pattern matched; compare with beats.
type score struct {
	tier   tier
	length int  // URL prefix or wildcard domain length
	port   bool // the pattern named a port
	user   bool // the pattern named a user
}

// beats reports whether s is strictly more specific than t.
func (s score) beats(t score) bool {
	switch {
	case s.tier != t.tier:
		return s.tier > t.tier
	case s.length != t.length:
		return s.length > t.length
	case s.port != t.port:
		return s.port
	}
	return s.user && !t.user
}

// parsePattern parses a hosts entry; it reports false for one that can
// never match (empty, a bare "*." or an unparsable URL).
func parsePattern(s string) (pattern, bool) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "://") {
		return parseURLPattern(s)
	}
	var p pattern
	if i := strings.LastIndex(s, "@"); i >= 0 {
		p.user, s = s[:i], s[i+1:]
	}
	wild := strings.HasPrefix(s, "*.")
	p.host, p.port = splitHostPort(strings.TrimPrefix(s, "*."), "")
	switch {
	case p.host == "" || strings.Contains(p.host, "*"):
		return pattern{}, false
	case wild:
		p.tier = tierWildcard
	case p.port != "":
		p.tier = tierHostPort
	default:
		p.tier = tierHost
	}
	return p, true
}

// parseURLPattern parses a URL-prefix pattern.
func parseURLPattern(s string) (pattern, bool) {
	u := parseURL(s)
	if u == nil {
		return pattern{}, false
	}
	p := pattern{tier: tierURL, url: urlPrefix(u)}
	if u.User != nil {
		p.user = u.User.Username()
	}
	return p, true
}

// match reports whether the pattern matches the request, and how well.
func (p pattern) match(r request) (score, bool) {
	if p.user != "" && p.user != r.user {
		return score{}, false
	}
	s := score{tier: p.tier, port: p.port != "", user: p.user != ""}
	switch p.tier {
	case tierURL:
		s.length = len(p.url)
		return s, urlHasPrefix(r.url, p.url)
	case tierWildcard:
		s.length = len(p.host)
		return s, strings.HasSuffix(r.host, "."+p.host) && p.portMatches(r)
	}
	return s, r.host == p.host && p.portMatches(r)
}

// portMatches reports whether the pattern's port, if any, is the request's.
func (p pattern) portMatches(r request) bool {
	return p.port == "" || p.port == r.port
}

// urlHasPrefix reports whether url starts with prefix at a path boundary:
// "https://h/org" matches "https://h/org" and "https://h/org/x" but not
// "https://h/organization" or "https://h.evil.example".
func urlHasPrefix(url, prefix string) bool {
	if url == "" || !strings.HasPrefix(url, prefix) {
		return false
	}
	rest := url[len(prefix):]
	return rest == "" || strings.HasSuffix(prefix, "/") || rest[0] == '/'
}
