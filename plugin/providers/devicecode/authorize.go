package devicecode

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
)

// Defaults for fields a server may leave out.
const (
	// DefaultInterval is the wait between polls when the server names
	// none (RFC 8628 §3.2).
	DefaultInterval = 5 * time.Second
	// DefaultExpiresIn is the code's lifetime when the server names none
	// (Entra's default).
	DefaultExpiresIn = 15 * time.Minute
)

// authorization is a device authorization response (RFC 8628 §3.2) with
// Entra's message.
type authorization struct {
	deviceCode      plugin.Secret
	userCode        string
	verificationURI string
	complete        string // verification_uri_complete, when sent
	message         string // Entra's ready-made instructions
	expiresIn       time.Duration
	interval        time.Duration
}

// wireAuthorization is the response as sent. Numbers may come as strings.
type wireAuthorization struct {
	DeviceCode      string      `json:"device_code"`
	UserCode        string      `json:"user_code"`
	VerificationURI string      `json:"verification_uri"`
	VerificationURL string      `json:"verification_url"` // Entra v1 spelling
	Complete        string      `json:"verification_uri_complete"`
	Message         string      `json:"message"`
	ExpiresIn       json.Number `json:"expires_in"`
	Interval        json.Number `json:"interval"`
}

// authorize sends the device authorization request (RFC 8628 §3.1) with
// the setup's scopes, claims, resource and client authentication.
func (p Provider) authorize(ctx context.Context, s *grant.Setup) (*authorization, error) {
	endpoint := s.Endpoints.DeviceAuthorization
	if endpoint == "" {
		return nil, plugin.Configf("device_code needs device_authorization_url, or an authority or issuer that provides one")
	}
	form := url.Values{"scope": {strings.Join(s.Scopes, " ")}}
	if s.Claims != "" {
		form.Set("claims", s.Claims)
	}
	if s.Resource != "" {
		form.Set("resource", s.Resource) // RFC 8707 §2
	}
	body, err := postForm(ctx, s.Client, endpoint, form)
	if err != nil {
		return nil, err
	}
	return parseAuthorization(body, hostOf(endpoint))
}

// parseAuthorization reads a 2xx device authorization response. Its
// errors never quote the body, which holds the device code.
func parseAuthorization(body []byte, host string) (*authorization, error) {
	var w wireAuthorization
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: device authorization response is not the expected JSON object", host)
	}
	a := &authorization{deviceCode: plugin.NewSecret(w.DeviceCode), userCode: w.UserCode,
		verificationURI: firstOf(w.VerificationURI, w.VerificationURL), complete: w.Complete, message: w.Message,
		expiresIn: seconds(w.ExpiresIn, DefaultExpiresIn), interval: seconds(w.Interval, DefaultInterval)}
	if a.deviceCode.IsZero() || a.userCode == "" || a.verificationURI == "" {
		return nil, plugin.Errorf(plugin.ErrUnavailable, "%s: device authorization response lacks device_code, user_code or verification_uri", host)
	}
	return a, nil
}

// notice is what the host shows: Entra's message, or the URL and code
// verbatim, with the code's expiry for the countdown.
func (a *authorization) notice(now time.Time) plugin.Notice {
	msg := a.message
	if msg == "" {
		msg = fmt.Sprintf("To sign in, open %s and enter the code %s", a.verificationURI, a.userCode)
		if a.complete != "" {
			msg += fmt.Sprintf(" (or open %s, which holds the code)", a.complete)
		}
	}
	return plugin.Notice{Message: msg, VerificationURI: a.verificationURI, UserCode: a.userCode, ExpiresAt: now.Add(a.expiresIn)}
}

// seconds reads a positive number of seconds, else def.
func seconds(n json.Number, def time.Duration) time.Duration {
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 24*3600 {
		return def
	}
	return time.Duration(f * float64(time.Second))
}

func firstOf(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}

// isCode reports whether err carries the OAuth error code.
func isCode(err error, codes ...string) bool {
	var oe *plugin.OAuthError
	if !errors.As(err, &oe) {
		return false
	}
	for _, c := range codes {
		if oe.Code == c {
			return true
		}
	}
	return false
}
