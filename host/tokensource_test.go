package host

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

var t0 = time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)

// step is one Token call of a TokenSource at a time relative to t0.
type step struct {
	at        time.Duration
	wantToken string // the access token returned
	wantState string // the state the provider received (its Account)
}

func TestTokenSourceReuse(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	expires := t0.Add(10 * time.Minute).Format(time.RFC3339Nano)
	tests := map[string]struct {
		config      map[string]string
		minValidity time.Duration
		steps       []step
		wantMin     string // the MinValidity the provider saw
	}{
		"reused until within min validity of expiry": {
			config: map[string]string{"expires_at": expires}, minValidity: time.Minute, wantMin: "1m0s",
			steps: []step{
				{at: 0, wantToken: "call-1"},
				{at: 5 * time.Minute, wantToken: "call-1"},
				{at: 9 * time.Minute, wantToken: "call-1"},
				{at: 9*time.Minute + time.Second, wantToken: "call-2", wantState: "state-1"},
			},
		},
		"zero min validity means a minute": {
			config: map[string]string{"expires_at": expires}, minValidity: 0, wantMin: "1m0s",
			steps: []step{
				{at: 0, wantToken: "call-1"},
				{at: 9 * time.Minute, wantToken: "call-1"},
				{at: 9*time.Minute + time.Millisecond, wantToken: "call-2", wantState: "state-1"},
			},
		},
		"longer min validity": {
			config: map[string]string{"expires_at": expires}, minValidity: 5 * time.Minute, wantMin: "5m0s",
			steps: []step{
				{at: 0, wantToken: "call-1"},
				{at: 5 * time.Minute, wantToken: "call-1"},
				{at: 5*time.Minute + time.Second, wantToken: "call-2", wantState: "state-1"},
			},
		},
		"min validity beyond the lifetime refreshes every time": {
			config: map[string]string{"expires_at": expires}, minValidity: 11 * time.Minute, wantMin: "11m0s",
			steps: []step{
				{at: 0, wantToken: "call-1"},
				{at: 0, wantToken: "call-2", wantState: "state-1"},
				{at: 0, wantToken: "call-3", wantState: "state-2"},
			},
		},
		"no expiry is reused forever": {
			config: map[string]string{}, minValidity: time.Minute, wantMin: "1m0s",
			steps: []step{
				{at: 0, wantToken: "call-1"},
				{at: 1000 * time.Hour, wantToken: "call-1"},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := map[string]string{"id": t.Name()}
			for k, v := range tc.config {
				cfg[k] = v
			}
			ts := p.TokenSource(t.Context(), Request{Provider: "counter", Config: cfg}, tc.minValidity).(*tokenSource)
			var now time.Time
			ts.now = func() time.Time { return now }
			for i, s := range tc.steps {
				now = t0.Add(s.at)
				tok, err := ts.Token()
				if err != nil {
					t.Fatalf("step %d: Token: %v", i, err)
				}
				if tok.AccessToken != s.wantToken {
					t.Errorf("step %d at t0+%v: token %q, want %q", i, s.at, tok.AccessToken, s.wantToken)
				}
				if got := ts.cur.Account; got != s.wantState {
					t.Errorf("step %d: provider got state %q, want %q", i, got, s.wantState)
				}
				if got := ts.cur.Scope; got != tc.wantMin {
					t.Errorf("step %d: provider got min validity %s, want %s", i, got, tc.wantMin)
				}
				if tok.TokenType != "bearer" || tok.Type() != "Bearer" {
					t.Errorf("step %d: token type %q (%q)", i, tok.TokenType, tok.Type())
				}
			}
		})
	}
}

func TestTokenSourceState(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	// An expiry in the past makes every Token call ask the plugin.
	expired := t0.Add(-time.Hour).Format(time.RFC3339Nano)
	tests := map[string]struct {
		initial   []byte
		config    map[string]string
		wantState []string // the state the provider received, call by call
	}{
		"carried from call to call": {
			initial: []byte("initial"), wantState: []string{"initial", "state-1", "state-2", "state-3"},
		},
		"none to start with": {
			wantState: []string{"", "state-1", "state-2"},
		},
		"ClearState drops it": {
			config: map[string]string{"clear_on": "2"}, wantState: []string{"", "state-1", "", "state-3"},
		},
		"nil State keeps the stored one": {
			initial: []byte("initial"), config: map[string]string{"keep_on": "2"},
			wantState: []string{"initial", "state-1", "state-1", "state-3"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := map[string]string{"id": t.Name(), "expires_at": expired}
			for k, v := range tc.config {
				cfg[k] = v
			}
			ts := p.TokenSource(t.Context(), Request{Provider: "counter", Config: cfg, State: tc.initial}, time.Minute).(*tokenSource)
			ts.now = func() time.Time { return t0 }
			var got []string
			for range tc.wantState {
				if _, err := ts.Token(); err != nil {
					t.Fatalf("Token: %v", err)
				}
				got = append(got, ts.cur.Account)
			}
			if diff := cmp.Diff(tc.wantState, got); diff != "" {
				t.Errorf("state the provider received (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenSourceError(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	ts := p.TokenSource(t.Context(), Request{Provider: "fail", Config: map[string]string{"error": "refused"}}, 0)
	tok, err := ts.Token()
	if err == nil {
		t.Fatalf("Token = %v, want an error", tok)
	}
	if plugin.KindOf(err) != plugin.KindRefused {
		t.Errorf("KindOf = %v, want refused", plugin.KindOf(err))
	}
}

func TestHTTPClient(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
	}))
	defer srv.Close()
	client := p.HTTPClient(t.Context(), Request{Provider: "counter", Config: map[string]string{"id": t.Name()}})
	for range 3 {
		resp, err := client.Get(srv.URL)
		if err != nil {
			t.Fatalf("GET: %v", err)
		}
		resp.Body.Close()
	}
	want := []string{"Bearer call-1", "Bearer call-1", "Bearer call-1"}
	mu.Lock()
	defer mu.Unlock()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
}

func TestTokenSourceConcurrent(t *testing.T) {
	t.Parallel()
	p := launchTest(t, Options{})
	ts := p.TokenSource(t.Context(), Request{Provider: "counter", Config: map[string]string{"id": t.Name()}}, 0)
	const n = 8
	tokens := make(chan string, n)
	for range n {
		go func() {
			tok, err := ts.Token()
			if err != nil {
				tokens <- err.Error()
				return
			}
			tokens <- tok.AccessToken
		}()
	}
	for range n {
		if got := <-tokens; got != "call-1" {
			t.Errorf("concurrent Token = %q, want every caller to share call-1", got)
		}
	}
}
