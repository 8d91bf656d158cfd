package oauth

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// maxLifetime bounds a relative lifetime (expires_in and friends): more is
// not a lifetime but garbage, and would overflow time.Duration.
const maxLifetime = 100 * 365 * 24 * time.Hour

// expiresOnLayouts are the date forms of expires_on that MSAL accepts:
// App Service's 2017-09-01 API sends "11/05/2021 15:18:31 +00:00". Forms
// without a zone are UTC.
var expiresOnLayouts = []string{
	"01/02/2006 15:04:05 -07:00",
	"01/02/2006 15:04:05",
	"2006-01-02 15:04:05",
	time.RFC3339,
}

// fillTimes sets the expiry times from a token response received at now.
// A malformed expires_on or expires_in is an error; Entra's optional
// refresh_in and ext_expires_in are ignored when malformed.
func (tr *TokenResponse) fillTimes(raw map[string]json.RawMessage, now time.Time) error {
	exp, err := expiry(raw, now)
	if err != nil {
		return err
	}
	tr.ExpiresAt = exp
	tr.RefreshAt = optionalOffset(raw, "refresh_in", now)
	tr.ExtExpiresAt = optionalOffset(raw, "ext_expires_in", now)
	return nil
}

// expiry prefers the absolute expires_on, then now + expires_in; zero when
// neither was sent (or expires_in is 0).
func expiry(raw map[string]json.RawMessage, now time.Time) (time.Time, error) {
	if t, sent, err := absoluteTime(raw, "expires_on"); sent {
		return t, err
	}
	d, _, err := lifetime(raw, "expires_in")
	if err != nil || d == 0 {
		return time.Time{}, err
	}
	return now.Add(d), nil
}

// optionalOffset returns now + raw[key] seconds, or zero when the key is
// absent, zero or malformed.
func optionalOffset(raw map[string]json.RawMessage, key string, now time.Time) time.Time {
	d, _, err := lifetime(raw, key)
	if err != nil || d == 0 {
		return time.Time{}
	}
	return now.Add(d)
}

// lifetime reads a relative lifetime in seconds.
func lifetime(raw map[string]json.RawMessage, key string) (time.Duration, bool, error) {
	n, sent, err := numberField(raw, key)
	if err != nil || !sent {
		return 0, sent, err
	}
	if n < 0 || n > maxLifetime.Seconds() {
		return 0, true, fmt.Errorf("%s is out of range", key)
	}
	return time.Duration(n * float64(time.Second)), true, nil
}

// absoluteTime reads an absolute time: epoch seconds as a number or a
// numeric string, or a date in one of expiresOnLayouts.
func absoluteTime(raw map[string]json.RawMessage, key string) (time.Time, bool, error) {
	if n, sent, err := numberField(raw, key); !sent || err == nil {
		return epoch(n, sent, key)
	}
	s, err := stringField(raw, key)
	if err != nil {
		return time.Time{}, true, err
	}
	return parseDate(strings.TrimSpace(s), key)
}

// epoch converts epoch seconds, refusing values outside years 1970–9999.
func epoch(n float64, sent bool, key string) (time.Time, bool, error) {
	const maxEpoch = 253402300799 // 9999-12-31T23:59:59Z
	if !sent {
		return time.Time{}, false, nil
	}
	if n <= 0 || n > maxEpoch {
		return time.Time{}, true, fmt.Errorf("%s is out of range", key)
	}
	return time.Unix(int64(n), 0).UTC(), true, nil
}

// parseDate tries each of expiresOnLayouts.
func parseDate(s, key string) (time.Time, bool, error) {
	for _, layout := range expiresOnLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true, nil
		}
	}
	return time.Time{}, true, fmt.Errorf("%s is not a time", key)
}
