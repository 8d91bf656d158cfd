package host

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

// outcome is what a host can tell about one GetToken: the token's fields
// and the error's text, kind, sentinels and OAuth fields.
type outcome struct {
	Token    map[string]any
	Err      string
	Kind     plugin.Kind
	Is       map[string]bool
	OAuth    *plugin.OAuthError
	Recorded []any
}

func outcomeOf(tok *Token, err error, recorded []any) outcome {
	o := outcome{Recorded: recorded}
	if tok != nil {
		o.Token = map[string]any{
			"access": tok.AccessToken.Reveal(), "type": tok.TokenType, "expires": fmt.Sprint(tok.ExpiresAt), "refresh": fmt.Sprint(tok.RefreshAt),
			"scope": tok.Scope, "id": tok.IDToken.Reveal(), "state": tok.State, "clear": tok.ClearState,
			"account": tok.Account, "nocache": tok.NoCache,
		}
	}
	if err == nil {
		return o
	}
	o.Err, o.Kind, o.Is = err.Error(), plugin.KindOf(err), map[string]bool{}
	for name, s := range map[string]error{
		"config": plugin.ErrConfig, "refused": plugin.ErrRefused, "interaction": plugin.ErrInteractionRequired,
		"unavailable": plugin.ErrUnavailable, "deadline": context.DeadlineExceeded, "canceled": context.Canceled,
	} {
		o.Is[name] = errors.Is(err, s)
	}
	var oe *plugin.OAuthError
	if errors.As(err, &oe) {
		o.OAuth = oe
	}
	return o
}

// parityCase is one request of TestInProcessAsAPlugin.
type parityCase struct {
	req   Request
	ia    bool  // the call's context carries an Interaction
	iaErr error // which fails with this
}

// TestInProcessAsAPlugin runs the same requests through a launched
// plugin serving testRegistry and through InProcess over it: the host
// must not be able to tell them apart (token, error text, KindOf,
// errors.Is with the sentinels, errors.As with *plugin.OAuthError, and
// what the person was asked).
func TestInProcessAsAPlugin(t *testing.T) {
	t.Parallel()
	forbid := fmt.Errorf("sign-in is disabled for this profile: %w", plugin.ErrInteractionRequired)
	tests := map[string]parityCase{
		"echo, every field": {req: Request{Provider: "echo", Config: map[string]string{
			"client_id": "app", "client_secret": "resolved", "clear_state": "true", "account": "a@example.com",
		}, Scopes: []string{"api", "offline_access"}, State: []byte{0, 1, 0xff}, ForceRefresh: true,
			MinValidity: 3 * time.Minute, Claims: `{"id_token":{}}`}},
		"echo, empty fields":     {req: Request{Provider: "echo", Config: map[string]string{}, Scopes: []string{}, State: []byte{}}},
		"echo, negative minimum": {req: Request{Provider: "echo", MinValidity: -time.Second}},
		"echo, can ask":          {req: Request{Provider: "echo"}, ia: true},
		"counter, local expiry": {req: Request{Provider: "counter", Config: map[string]string{
			"id": "x", "expires_at": time.Date(2031, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600)).Format(time.RFC3339Nano),
		}}},
		"unknown provider":         {req: Request{Provider: "nope"}},
		"interact, person answers": {req: Request{Provider: "interact"}, ia: true},
		"interact, nobody to ask":  {req: Request{Provider: "interact"}},
		"interact, host forbids":   {req: Request{Provider: "interact"}, ia: true, iaErr: forbid},
		"interact, host fails":     {req: Request{Provider: "interact"}, ia: true, iaErr: errors.New("terminal gone")},
	}
	for name := range testErrors() {
		tests["fail, "+name] = parityCase{req: Request{Provider: "fail", Config: map[string]string{"error": name}}}
	}
	p := launchTest(t, Options{})
	in := InProcess(testRegistry(), InProcessOptions{})
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			run := func(g TokenGetter) outcome {
				ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
				defer cancel()
				var rec *recordingInteraction
				if tc.ia {
					rec = &recordingInteraction{err: tc.iaErr}
					ctx = WithInteraction(ctx, rec)
				}
				req := tc.req
				tok, err := g.GetToken(ctx, &req)
				if rec == nil {
					return outcomeOf(tok, err, nil)
				}
				return outcomeOf(tok, err, rec.recorded())
			}
			want, got := run(p), run(in)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("in-process differs from the plugin (-plugin +in-process):\n%s", diff)
			}
		})
	}
}

// TestInProcessPanic: a provider that panics gives an internal error
// naming it, and the host goes on.
func TestInProcessPanic(t *testing.T) {
	t.Parallel()
	var reg plugin.Registry
	reg.Register(plugin.ProviderInfo{Name: "boom"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		var tok *plugin.Token
		_ = tok.AccessToken // a nil pointer dereference: a runtime panic
		return nil, nil
	}))
	reg.Register(plugin.ProviderInfo{Name: "ok"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return &plugin.Token{AccessToken: plugin.NewSecret("fine")}, nil
	}))
	g := InProcess(&reg, InProcessOptions{})
	tok, err := g.GetToken(t.Context(), &Request{Provider: "boom"})
	if tok != nil || err == nil || plugin.KindOf(err) != plugin.KindInternal ||
		!strings.HasPrefix(err.Error(), `provider "boom" failed: panic: runtime error: invalid memory address or nil pointer dereference`) {
		t.Fatalf("GetToken = %v, %v (kind %v); want an internal error naming the provider and the panic", tok, err, plugin.KindOf(err))
	}
	if tok, err := g.GetToken(t.Context(), &Request{Provider: "ok"}); err != nil || tok.AccessToken.Reveal() != "fine" {
		t.Fatalf("the call after the panic: %v, %v", tok, err)
	}
}

// TestInProcessDefaultInteraction: without one in the context, the
// provider reaches InProcessOptions.Interaction.
func TestInProcessDefaultInteraction(t *testing.T) {
	t.Parallel()
	rec := &recordingInteraction{}
	tok, err := InProcess(testRegistry(), InProcessOptions{Interaction: rec}).GetToken(t.Context(), &Request{Provider: "interact"})
	if err != nil || tok.AccessToken.Reveal() != "opened=true answer=hunter2" {
		t.Fatalf("GetToken = %v, %v", tok, err)
	}
	if diff := cmp.Diff(wantInteraction(), rec.recorded()); diff != "" {
		t.Errorf("the person saw (-want +got):\n%s", diff)
	}
}
