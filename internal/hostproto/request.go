package hostproto

import (
	"strings"

	"github.com/keyfob/keyfob/host/bazel"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
)

// Request is a host tool's request for credentials, as profile selection
// sees it.
type Request struct {
	// Host is the host, with ":port" when the request names one.
	Host string
	// User is the user name the request carries, if any (git's username,
	// from the remote URL's user@).
	User string
	// URL is scheme://[user@]host[:port]/path when the protocol gives more
	// than a host, for URL-prefix patterns; "" otherwise.
	URL string
	// Transport is the protocol's allow-list of URL schemes; nil means
	// HTTPS.
	Transport *Transport
}

// FromGit is the request of a git credential request. It reports false
// for protocols other than http and https (certificates, SSH), which
// keyfob never answers.
func FromGit(req *git.Request) (Request, bool) {
	p := strings.ToLower(req.Protocol)
	if (p != "https" && p != "http") || req.Host == "" {
		return Request{}, false
	}
	return Request{Host: req.Host, User: req.Username, URL: req.URL()}, true
}

// FromDocker is the request of a docker credential helper call.
func FromDocker(s docker.Server) Request {
	return Request{Host: s.Host, URL: s.RequestURL()}
}

// FromBazel is the request of a Bazel credential helper call.
func FromBazel(r bazel.Request) Request {
	return Request{Host: r.Host, User: r.User, URL: r.URI, Transport: &Bazel}
}

// FromTerraform is the request for a Terraform host (in its comparison
// form, possibly with a port); Terraform only speaks HTTPS.
func FromTerraform(host string) Request {
	host = strings.ToLower(strings.TrimSpace(host))
	return Request{Host: host, URL: "https://" + host + "/"}
}

// transportNote is the note refusing to send profile name's token for
// r, or "" when it may be sent (see Transport.Note). A request without a
// URL names only a host, of a protocol that speaks HTTPS alone.
func (r Request) transportNote(name string) string {
	u := r.URL
	if u == "" {
		u = "https://" + r.Host + "/"
	}
	t := r.Transport
	if t == nil {
		t = &HTTPS
	}
	return t.Note(name, u)
}
