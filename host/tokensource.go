package host

import (
	"context"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// TokenSource returns an oauth2.TokenSource that asks p for tokens with
// req, reuses a token while it stays valid for at least minValidity (one
// minute when zero), and carries the plugin's opaque state from one call
// to the next. It is safe for concurrent use.
func (p *Plugin) TokenSource(ctx context.Context, req Request, minValidity time.Duration) oauth2.TokenSource {
	if minValidity <= 0 {
		minValidity = time.Minute
	}
	return &tokenSource{ctx: ctx, p: p, req: req, min: minValidity, now: time.Now}
}

// HTTPClient returns an *http.Client that adds the plugin's token to every
// request, as oauth2.NewClient does.
func (p *Plugin) HTTPClient(ctx context.Context, req Request) *http.Client {
	return oauth2.NewClient(ctx, p.TokenSource(ctx, req, 0))
}

type tokenSource struct {
	ctx context.Context
	p   *Plugin
	req Request
	min time.Duration
	now func() time.Time

	mu  sync.Mutex
	cur *Token
}

// Token returns the current token or a new one from the plugin.
func (ts *tokenSource) Token() (*oauth2.Token, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.cur == nil || !ts.fresh(ts.cur) {
		if err := ts.refresh(); err != nil {
			return nil, err
		}
	}
	return &oauth2.Token{
		AccessToken: ts.cur.AccessToken.Reveal(),
		TokenType:   ts.cur.TokenType,
		Expiry:      ts.cur.ExpiresAt,
	}, nil
}

func (ts *tokenSource) fresh(t *Token) bool {
	return t.ExpiresAt.IsZero() || t.ExpiresAt.Sub(ts.now()) >= ts.min
}

func (ts *tokenSource) refresh() error {
	req := ts.req
	req.MinValidity = ts.min
	tok, err := ts.p.GetToken(ts.ctx, &req)
	if err != nil {
		return err
	}
	switch {
	case tok.ClearState:
		ts.req.State = nil
	case tok.State != nil:
		ts.req.State = tok.State
	}
	ts.cur = tok
	return nil
}
