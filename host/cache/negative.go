package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kinds of negative entries.
const (
	// NegativeThrottled records that the server asked us to back off
	// (HTTP 429 with Retry-After, Entra throttling).
	NegativeThrottled = "throttled"
	// NegativeInvalidClient records that the server refused the client's
	// credentials, so retrying before the configuration changes is futile.
	NegativeInvalidClient = "invalid_client"
	// NegativeSigninDeclined records, under a StateKey, that a person was
	// asked to sign in and declined or did not answer in time, so that
	// calls that follow fail at once instead of asking again (a sign-in
	// cooldown).
	NegativeSigninDeclined = "signin_declined"
)

// Negative is a remembered failure, so that processes that run in quick
// succession (git calls a helper for every request) do not each hit a
// server that has just said no. It holds no secrets.
type Negative struct {
	// Until is when the entry stops applying.
	Until time.Time `json:"until"`
	// Kind is NegativeThrottled, NegativeInvalidClient or
	// NegativeSigninDeclined.
	Kind string `json:"kind"`
	// Message is the one-line error to show again; never a secret.
	Message string `json:"message,omitempty"`
	// ExitCode is the exit code to fail with (CONTRACT §7).
	ExitCode int `json:"exit_code,omitempty"`
}

// negativeFile is a Negative as stored, with its key for List.
type negativeFile struct {
	Key string `json:"key"`
	Negative
}

// PutNegative stores n under key (an AccessKey, or a StateKey for
// NegativeSigninDeclined), replacing any earlier one. Whitespace in
// Message is collapsed to keep it on one line.
func (c *Cache) PutNegative(key string, n Negative) error {
	if n.Until.IsZero() || n.Kind == "" {
		return errors.New("put negative: Until and Kind are required")
	}
	n.Message = strings.Join(strings.Fields(n.Message), " ")
	b, err := json.Marshal(negativeFile{Key: key, Negative: n})
	if err != nil {
		return fmt.Errorf("put negative: %w", err)
	}
	return c.writeFile(c.path(prefixNegative, key, extNegative), b)
}

// GetNegative returns the negative entry under key if it still applies at
// now (now < Until). Missing, expired, corrupt or unsafe entries are a
// miss; an expired one stays on disk until replaced or cleared.
func (c *Cache) GetNegative(key string, now time.Time) (*Negative, bool) {
	b, err := readFile(c.path(prefixNegative, key, extNegative))
	if err != nil {
		return nil, false
	}
	var f negativeFile
	if json.Unmarshal(b, &f) != nil || f.Key != key || !now.Before(f.Until) {
		return nil, false
	}
	return &f.Negative, true
}

// DeleteNegative removes the negative entry under key; a missing one is
// not an error.
func (c *Cache) DeleteNegative(key string) error {
	return removeFile(c.path(prefixNegative, key, extNegative))
}
