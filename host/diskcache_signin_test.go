package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/plugin"
)

func TestDeclined(t *testing.T) {
	t.Parallel()
	overWire := func(err error) error { return plugin.FromStatus(plugin.ToStatus(err)) }
	tests := map[string]struct {
		asked    bool
		err      error
		timedOut bool
		want     bool
	}{
		"nobody asked":                   {asked: false, err: plugin.ErrInteractionRequired},
		"success":                        {asked: true},
		"no answer in time (provider)":   {asked: true, err: overWire(fmt.Errorf("timed out: %w", plugin.ErrInteractionRequired)), want: true},
		"no answer within --timeout":     {asked: true, err: overWire(context.DeadlineExceeded), timedOut: true, want: true},
		"access_denied":                  {asked: true, err: overWire(fmt.Errorf("declined: %w", &plugin.OAuthError{Code: "access_denied", StatusCode: 400})), want: true},
		"authorization_declined (Entra)": {asked: true, err: overWire(&plugin.OAuthError{Code: "authorization_declined", StatusCode: 400}), want: true},
		"expired_token":                  {asked: true, err: &plugin.OAuthError{Code: "expired_token", StatusCode: 400}, want: true},
		"server failing":                 {asked: true, err: overWire(&plugin.OAuthError{Code: "server_error", StatusCode: 500})},
		"bad client":                     {asked: true, err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := declined(tc.asked, tc.err, tc.timedOut); got != tc.want {
				t.Errorf("declined(%v, %v, %v) = %v, want %v", tc.asked, tc.err, tc.timedOut, got, tc.want)
			}
		})
	}
}

func TestSigninCooldownSetting(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value string
		want  time.Duration
		warns bool
	}{
		"default": {"", DefaultSigninCooldown, false},
		"set":     {"90s", 90 * time.Second, false},
		"off":     {"0", 0, false},
		"bad":     {"soon", DefaultSigninCooldown, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stderr strings.Builder
			c := NewCache(nil, CacheOptions{Messages: &stderr, Getenv: func(string) string { return tc.value }})
			if got := c.signinCooldown(); got != tc.want || (stderr.Len() > 0) != tc.warns {
				t.Errorf("signinCooldown() = %v (stderr %q), want %v", got, stderr.String(), tc.want)
			}
		})
	}
}

// TestSigninLockWaitsForTheSignin checks that a call queued behind
// another process's sign-in waits as long as a sign-in can last, not
// LockTimeout, when the provider signs people in; others still give up
// after LockTimeout, needing a person.
func TestSigninLockWaitsForTheSignin(t *testing.T) {
	t.Parallel()
	const lockTimeout, held = 50 * time.Millisecond, 400 * time.Millisecond
	tests := map[string]struct {
		interactive bool
		mode        mode
		waits       bool
	}{
		"interactive provider": {interactive: true, waits: true},
		"sign-in":              {mode: modeLogin, waits: true},
		"not interactive":      {},
		"sign-out":             {mode: modeLogout},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cc, err := cache.Open(cacheDir(t), cache.Options{})
			if err != nil {
				t.Fatal(err)
			}
			unlock, err := cc.Lock(context.Background(), "state", nil)
			if err != nil {
				t.Fatal(err)
			}
			time.AfterFunc(held, unlock)
			c := NewCache(nil, CacheOptions{Profile: "p", LockTimeout: lockTimeout, Interactive: tc.interactive})
			ct := &call{c: c, mode: tc.mode, disk: cc}
			got, err := ct.lockSignin(context.Background(), "state")
			if tc.waits {
				if err != nil {
					t.Fatalf("lockSignin gave up while the other sign-in went on: %v", err)
				}
				got()
				return
			}
			if !errors.Is(err, plugin.ErrInteractionRequired) {
				t.Fatalf("lockSignin() error %v, want a need for a person after LockTimeout", err)
			}
		})
	}
}
