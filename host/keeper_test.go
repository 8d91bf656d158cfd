package host

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// fakeGetter is a TokenGetter whose n-th token (from 1) is "tok-n" with
// state "state-n", expiring life after it is issued (never when life is
// zero).
type fakeGetter struct {
	life    time.Duration
	fail    func(n int) error // error for the n-th call, or nil
	clearOn int               // the n-th token asks to clear the state
	noCache bool
	block   chan struct{} // when set, each call waits for it

	mu    sync.Mutex
	calls []fakeCall
}

// fakeCall is one request the fakeGetter received.
type fakeCall struct {
	At          time.Time
	State       string
	MinValidity time.Duration
}

func (f *fakeGetter) GetToken(ctx context.Context, req *Request) (*Token, error) {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fakeCall{At: time.Now(), State: string(req.State), MinValidity: req.MinValidity})
	n := len(f.calls)
	if f.fail != nil {
		if err := f.fail(n); err != nil {
			return nil, err
		}
	}
	tok := &Token{
		AccessToken: plugin.NewSecret(fmt.Sprintf("tok-%d", n)), TokenType: "Bearer",
		State: []byte(fmt.Sprintf("state-%d", n)), ClearState: n == f.clearOn, NoCache: f.noCache,
	}
	if f.life > 0 {
		tok.ExpiresAt = time.Now().Add(f.life)
	}
	return tok, nil
}

func (f *fakeGetter) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeGetter) call(i int) fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[i]
}

func newTestKeeper(t *testing.T, g TokenGetter, opts KeeperOptions) *Keeper {
	t.Helper()
	k := NewKeeper(g, Request{Provider: "p", State: []byte("state-0")}, opts)
	t.Cleanup(func() { _ = k.Close() })
	return k
}

// tokenValue returns the value of k's token, failing the test on error.
func tokenValue(t *testing.T, k *Keeper) string {
	t.Helper()
	tok, err := k.Token(t.Context())
	if err != nil {
		t.Fatalf("Token: %v", err)
	}
	return tok.AccessToken.Reveal()
}

func TestKeeperServesFromMemory(t *testing.T) {
	t.Parallel()
	g := &fakeGetter{life: time.Hour}
	k := newTestKeeper(t, g, KeeperOptions{})
	const n = 32
	got := make(chan string, n)
	for range n {
		go func() {
			tok, err := k.Token(t.Context())
			if err != nil {
				got <- err.Error()
				return
			}
			got <- tok.AccessToken.Reveal()
		}()
	}
	for range n {
		if v := <-got; v != "tok-1" {
			t.Errorf("Token = %q, want every caller to share tok-1", v)
		}
	}
	if c := g.count(); c != 1 {
		t.Errorf("plugin calls = %d, want 1", c)
	}
	if first := g.call(0); first.MinValidity != time.Minute || first.State != "state-0" {
		t.Errorf("first call = %+v, want the default minimum validity and the request's state", first)
	}
}

func TestKeeperRefreshesAhead(t *testing.T) {
	t.Parallel()
	const life, minValidity = 3 * time.Second, 100 * time.Millisecond
	g := &fakeGetter{life: life}
	k := newTestKeeper(t, g, KeeperOptions{MinValidity: minValidity})
	if v := tokenValue(t, k); v != "tok-1" {
		t.Fatalf("Token = %q, want tok-1", v)
	}
	if !eventually(6*time.Second, func() bool { return g.count() >= 2 }) {
		t.Fatal("no background refresh within 6s of a 3s token")
	}
	first, second := g.call(0), g.call(1)
	// Due at 3/4 of the serving life (1.95s); tok-1 stops serving at
	// life - margin - minValidity = 2.6s.
	if ahead := second.At.Sub(first.At); ahead < minRefreshInterval || ahead >= 2600*time.Millisecond {
		t.Errorf("background refresh %v after the first token, want between 1s and 2.6s", ahead)
	}
	if second.State != "state-1" {
		t.Errorf("background refresh sent state %q, want state-1", second.State)
	}
	if v := tokenValue(t, k); v != "tok-2" {
		t.Errorf("Token after the refresh = %q, want tok-2", v)
	}
	if c := g.count(); c != 2 {
		t.Errorf("plugin calls = %d, want 2: the refreshed token is served from memory", c)
	}
}

func TestKeeperRetriesTransientFailures(t *testing.T) {
	t.Parallel()
	unavailable := plugin.Errorf(plugin.ErrUnavailable, "idp.example: HTTP 503")
	g := &fakeGetter{life: 2 * time.Second, fail: func(n int) error {
		if n == 2 || n == 3 {
			return unavailable
		}
		return nil
	}}
	k := newTestKeeper(t, g, KeeperOptions{MinValidity: 100 * time.Millisecond, RetryBackoff: 50 * time.Millisecond})
	if v := tokenValue(t, k); v != "tok-1" {
		t.Fatalf("Token = %q, want tok-1", v)
	}
	if !eventually(5*time.Second, func() bool { return g.count() >= 4 }) {
		t.Fatalf("plugin calls = %d, want the failed background refresh retried until it succeeds", g.count())
	}
	if v := tokenValue(t, k); v != "tok-4" {
		t.Errorf("Token = %q, want tok-4 from the retried refresh", v)
	}
	if wait := g.call(2).At.Sub(g.call(1).At); wait < 50*time.Millisecond || wait > time.Second {
		t.Errorf("first retry after %v, want about RetryBackoff (50ms)", wait)
	}
}

func TestKeeperPausesAfterRefusal(t *testing.T) {
	t.Parallel()
	refused := &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}
	g := &fakeGetter{life: 1500 * time.Millisecond, fail: func(n int) error {
		if n == 2 {
			return refused
		}
		return nil
	}}
	k := newTestKeeper(t, g, KeeperOptions{MinValidity: 100 * time.Millisecond, RetryBackoff: 10 * time.Millisecond})
	if v := tokenValue(t, k); v != "tok-1" {
		t.Fatalf("Token = %q, want tok-1", v)
	}
	if !eventually(5*time.Second, func() bool { return g.count() >= 2 }) {
		t.Fatal("no background refresh")
	}
	time.Sleep(500 * time.Millisecond)
	if c := g.count(); c != 2 {
		t.Errorf("plugin calls = %d after a refused background refresh, want 2 (paused)", c)
	}
	// tok-1 no longer serves: the caller asks, and that resumes the Keeper.
	if v := tokenValue(t, k); v != "tok-3" {
		t.Errorf("Token = %q, want tok-3 fetched by the caller", v)
	}
}

func TestKeeperState(t *testing.T) {
	t.Parallel()
	// A 10ms token never serves a caller who needs a minute: every Token
	// asks the plugin.
	g := &fakeGetter{life: 10 * time.Millisecond, clearOn: 2}
	k := newTestKeeper(t, g, KeeperOptions{})
	var got []string
	for range 4 {
		got = append(got, tokenValue(t, k))
	}
	if diff := cmp.Diff([]string{"tok-1", "tok-2", "tok-3", "tok-4"}, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	var states []string
	for i := range g.count() {
		states = append(states, g.call(i).State)
	}
	if diff := cmp.Diff([]string{"state-0", "state-1", "", "state-3"}, states); diff != "" {
		t.Errorf("states sent (-want +got):\n%s", diff)
	}
	tok, err := k.Token(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if tok.State != nil {
		t.Errorf("Token handed out the state %q", tok.State)
	}
}

func TestKeeperNoCache(t *testing.T) {
	t.Parallel()
	g := &fakeGetter{life: time.Hour, noCache: true}
	k := newTestKeeper(t, g, KeeperOptions{})
	tokenValue(t, k)
	tokenValue(t, k)
	if c := g.count(); c != 2 {
		t.Errorf("plugin calls = %d, want 2: a NoCache token is never kept", c)
	}
}

func TestKeeperUnknownExpiry(t *testing.T) {
	t.Parallel()
	g := &fakeGetter{}
	k := newTestKeeper(t, g, KeeperOptions{})
	for range 3 {
		if v := tokenValue(t, k); v != "tok-1" {
			t.Errorf("Token = %q, want tok-1 kept", v)
		}
	}
}

func TestKeeperErrors(t *testing.T) {
	t.Parallel()
	refused := &plugin.OAuthError{Code: "invalid_scope", StatusCode: 400}
	g := &fakeGetter{life: time.Hour, fail: func(n int) error {
		if n == 1 {
			return refused
		}
		return nil
	}}
	k := newTestKeeper(t, g, KeeperOptions{})
	if _, err := k.Token(t.Context()); !errors.Is(err, refused) {
		t.Errorf("Token = %v, want the getter's error", err)
	}
	if v := tokenValue(t, k); v != "tok-2" {
		t.Errorf("Token after an error = %q, want tok-2", v)
	}
}

func TestKeeperContext(t *testing.T) {
	t.Parallel()
	g := &fakeGetter{life: time.Hour, block: make(chan struct{})}
	k := newTestKeeper(t, g, KeeperOptions{})
	go func() { _, _ = k.Token(context.Background()) }() // holds the fetch
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := k.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Token while another fetch hangs = %v, want the caller's deadline", err)
	}
	close(g.block)
	if v := tokenValue(t, k); v != "tok-1" {
		t.Errorf("Token = %q, want tok-1", v)
	}
}

func TestKeeperClose(t *testing.T) {
	t.Parallel()
	g := &fakeGetter{life: time.Hour}
	k := NewKeeper(g, Request{}, KeeperOptions{})
	tokenValue(t, k)
	if err := k.Close(); err != nil {
		t.Fatal(err)
	}
	if err := k.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := k.Token(t.Context()); !errors.Is(err, ErrClosed) {
		t.Errorf("Token after Close = %v, want ErrClosed", err)
	}
}

func TestKeeperHTTPClient(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()
	tests := map[string]struct {
		life time.Duration
		want []string
	}{
		"kept token": {life: time.Hour, want: []string{"Bearer tok-1", "Bearer tok-1", "Bearer tok-1"}},
		// The client's transport keeps no token: a new one is used at once.
		"new token per request": {life: 10 * time.Millisecond, want: []string{"Bearer tok-1", "Bearer tok-2", "Bearer tok-3"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			k := newTestKeeper(t, &fakeGetter{life: tc.life}, KeeperOptions{})
			client := k.HTTPClient(t.Context())
			mu.Lock()
			got = nil
			mu.Unlock()
			for range 3 {
				resp, err := client.Get(srv.URL)
				if err != nil {
					t.Fatalf("GET: %v", err)
				}
				resp.Body.Close()
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Authorization headers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRefreshPoint(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		life, refreshIn, minValidity time.Duration
		want                         time.Duration // after got; -1: none
	}{
		// Stops serving at 60m - 5m - 1m = 54m; three quarters of that.
		"one hour":          {life: time.Hour, minValidity: time.Minute, want: 40*time.Minute + 30*time.Second},
		"provider's time":   {life: time.Hour, refreshIn: 30 * time.Minute, minValidity: time.Minute, want: 30 * time.Minute},
		"later refresh_in":  {life: time.Hour, refreshIn: 50 * time.Minute, minValidity: time.Minute, want: 40*time.Minute + 30*time.Second},
		"five minutes":      {life: 5 * time.Minute, minValidity: time.Minute, want: 157500 * time.Millisecond},
		"never serves":      {life: 30 * time.Second, minValidity: time.Minute, want: -1},
		"at least a second": {life: 1200 * time.Millisecond, minValidity: 0, want: time.Second},
	}
	got0 := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok := &Token{ExpiresAt: got0.Add(tc.life)}
			if tc.refreshIn > 0 {
				tok.RefreshAt = got0.Add(tc.refreshIn)
			}
			at, ok := refreshPoint(tok, got0, tc.minValidity)
			got := at.Sub(got0)
			if !ok {
				got = -1
			}
			if got != tc.want {
				t.Errorf("refreshPoint = got+%v, want got+%v", got, tc.want)
			}
		})
	}
}

func TestUsable(t *testing.T) {
	t.Parallel()
	got0 := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	hour := &Token{ExpiresAt: got0.Add(time.Hour)}
	tests := map[string]struct {
		tok  *Token
		now  time.Duration // after got0
		want bool
	}{
		"fresh":                    {tok: hour, now: 0, want: true},
		"last serving moment":      {tok: hour, now: 54 * time.Minute, want: true},
		"within margin + validity": {tok: hour, now: 54*time.Minute + time.Second, want: false},
		"unknown expiry":           {tok: &Token{}, now: 1000 * time.Hour, want: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := usable(tc.tok, got0, got0.Add(tc.now), time.Minute); got != tc.want {
				t.Errorf("usable = %v, want %v", got, tc.want)
			}
		})
	}
}
