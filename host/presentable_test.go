package host

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// fixedGetter answers every call with a copy of tok and counts the calls.
type fixedGetter struct {
	tok   Token
	calls int
}

func (g *fixedGetter) GetToken(context.Context, *Request) (*Token, error) {
	g.calls++
	tok := g.tok
	return &tok, nil
}

// TestCacheRefusesTokensItCannotPresent: whatever getter a Go host wraps
// (a third party's plugin), the Cache refuses a token with CR/LF or
// escape characters and a token type other than bearer — an error of
// kind unavailable naming the provider, never the token — and caches
// nothing, so the next call asks again; a lowercase "bearer" is served
// as "Bearer".
func TestCacheRefusesTokensItCannotPresent(t *testing.T) {
	t.Parallel()
	bad := map[string]Token{
		"crlf token":  {AccessToken: plugin.NewSecret("abc\r\nX-Injected: evil"), TokenType: "Bearer"},
		"escape":      {AccessToken: plugin.NewSecret("abc\x1b]0;x\x07"), TokenType: "Bearer"},
		"crlf type":   {AccessToken: plugin.NewSecret("abc"), TokenType: "Bearer\r\nX-Evil: 1"},
		"other type":  {AccessToken: plugin.NewSecret("abc"), TokenType: "DPoP"},
		"empty token": {AccessToken: plugin.NewSecret(""), TokenType: "Bearer"},
	}
	for name, tok := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok.ExpiresAt = time.Now().Add(time.Hour)
			g := &fixedGetter{tok: tok}
			c := newTestCache(t, cacheDir(t), g, CacheOptions{})
			for range 2 {
				got, err := c.GetToken(t.Context(), ccRequest())
				if got != nil || !errors.Is(err, plugin.ErrUnavailable) || !strings.Contains(err.Error(), `provider "client_credentials"`) {
					t.Fatalf("GetToken = %v, %v; want an unavailable error naming the provider", got, err)
				}
				if strings.Contains(err.Error(), "X-Injected") || strings.ContainsAny(err.Error(), "\r\n\x1b") {
					t.Fatalf("the error holds the token or a control character: %q", err)
				}
			}
			if g.calls != 2 {
				t.Errorf("getter asked %d times, want 2 (nothing cached)", g.calls)
			}
		})
	}
	g := &fixedGetter{tok: Token{AccessToken: plugin.NewSecret("good.token"), TokenType: "bearer", ExpiresAt: time.Now().Add(time.Hour)}}
	got, err := newTestCache(t, cacheDir(t), g, CacheOptions{}).GetToken(t.Context(), ccRequest())
	if err != nil || got.TokenType != "Bearer" || got.AccessToken.Reveal() != "good.token" {
		t.Fatalf("GetToken = %v, %v; want the token as Bearer", got, err)
	}
}

// TestCacheRefusalNamesThePlugin: when the request names a plugin, the
// refusal names the plugin by its base name, as the plugin's author
// knows it, rather than the provider.
func TestCacheRefusalNamesThePlugin(t *testing.T) {
	t.Parallel()
	g := &fixedGetter{tok: Token{AccessToken: plugin.NewSecret("abc"), TokenType: "mac", ExpiresAt: time.Now().Add(time.Hour)}}
	req := ccRequest()
	req.Config["plugin"] = "/opt/plugins/keyfob-plugin-acme"
	_, err := newTestCache(t, cacheDir(t), g, CacheOptions{}).GetToken(t.Context(), req)
	if !errors.Is(err, plugin.ErrUnavailable) || !strings.Contains(err.Error(), "plugin keyfob-plugin-acme: ") {
		t.Fatalf("GetToken error = %v; want an unavailable error naming plugin keyfob-plugin-acme", err)
	}
}
