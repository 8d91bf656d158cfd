package oauth

import (
	"net"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// CheckURL accepts an https URL with a host, and an http URL only when its
// host is loopback: an IP in 127.0.0.0/8, ::1, or "localhost". Anything
// else is refused with an error wrapping plugin.ErrConfig that names the
// URL (with any password redacted). Call it before connecting anywhere
// that will see a credential.
func CheckURL(raw string) error {
	if raw == "" {
		return plugin.Configf("empty URL")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return plugin.Configf("invalid URL %q", raw)
	}
	switch {
	case u.Host == "":
		return plugin.Configf("URL %s has no host", u.Redacted())
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return plugin.Configf("refusing plain http:// URL %s (only loopback may use http)", u.Redacted())
	}
	return plugin.Configf("refusing URL %s: scheme must be https", u.Redacted())
}

// isLoopback reports whether host is "localhost" or a loopback IP.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
