package authcode

import (
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/internal/delegated"
)

// Configuration keys of this provider.
const (
	// KeyRedirectURI is the redirect URI; see DefaultRedirectURI.
	KeyRedirectURI = "redirect_uri"
	// KeyRedirectMode is "loopback" (default) or "paste".
	KeyRedirectMode = "redirect_mode"
	// KeyNoBrowser ("true") shows the URL without opening a browser.
	KeyNoBrowser = "no_browser"
	// KeyDomainHint is passed to the authorization endpoint as domain_hint.
	KeyDomainHint = "domain_hint"
	// KeyPrompt is passed to the authorization endpoint as prompt (login,
	// consent, select_account, none).
	KeyPrompt = "prompt"
)

// Redirect modes, the values of KeyRedirectMode.
const (
	// ModeLoopback receives the redirect on a loopback listener.
	ModeLoopback = "loopback"
	// ModePaste asks the user to paste the final redirect address.
	ModePaste = "paste"
)

// DefaultRedirectURI is the redirect URI when none is configured; in
// loopback mode the listener's port is added to it.
const DefaultRedirectURI = "http://localhost/"

// options are a profile's settings for one sign-in.
type options struct {
	redirect  *url.URL
	mode      string
	noBrowser bool
	params    url.Values // extra authorization request parameters
}

// parseOptions reads and checks the provider's keys.
func parseOptions(cfg plugin.Config) (*options, error) {
	o := &options{mode: strings.ToLower(cfg.String(KeyRedirectMode)), params: url.Values{}}
	if o.mode == "" {
		o.mode = ModeLoopback
	}
	if o.mode != ModeLoopback && o.mode != ModePaste {
		return nil, plugin.Configf("key %s: %q is not loopback or paste", KeyRedirectMode, o.mode)
	}
	var err error
	if o.noBrowser, err = delegated.Bool(cfg, KeyNoBrowser, false); err != nil {
		return nil, err
	}
	if o.redirect, err = parseRedirect(cfg.String(KeyRedirectURI), o.mode); err != nil {
		return nil, err
	}
	for key, param := range map[string]string{delegated.KeyLoginHint: "login_hint", KeyDomainHint: "domain_hint", KeyPrompt: "prompt"} {
		if v := cfg.String(key); v != "" {
			o.params.Set(param, v)
		}
	}
	return o, nil
}

// parseRedirect checks the redirect URI: in loopback mode it must be
// http on localhost, 127.0.0.1 or [::1]; in paste mode any absolute URI.
func parseRedirect(raw, mode string) (*url.URL, error) {
	if raw == "" {
		raw = DefaultRedirectURI
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, plugin.Configf("key %s: %q is not an absolute URL", KeyRedirectURI, raw)
	}
	if u.Fragment != "" {
		return nil, plugin.Configf("key %s: a redirect URI has no #fragment", KeyRedirectURI)
	}
	if mode == ModePaste {
		return u, nil
	}
	if u.Scheme != "http" || loopbackHosts(u.Hostname()) == nil {
		return nil, plugin.Configf("key %s: %s must be http://localhost, http://127.0.0.1 or http://[::1] (with an optional port and path) "+
			"for the loopback redirect; use redirect_mode = \"paste\" for other URIs", KeyRedirectURI, u.Redacted())
	}
	return u, nil
}

// loopbackHosts are the addresses to listen on for a redirect host; nil
// when it is not a loopback name.
func loopbackHosts(host string) []string {
	switch strings.ToLower(host) {
	case "localhost":
		return []string{"127.0.0.1", "::1"}
	case "127.0.0.1":
		return []string{"127.0.0.1"}
	case "::1":
		return []string{"::1"}
	}
	return nil
}
