package plugin_test

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

func TestKindOf(t *testing.T) {
	t.Parallel()
	invalidGrant := &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400}
	tests := map[string]struct {
		err  error
		want plugin.Kind
	}{
		"nil":                      {err: nil, want: plugin.KindInternal},
		"plain":                    {err: errors.New("boom"), want: plugin.KindInternal},
		"deadline is not a kind":   {err: context.DeadlineExceeded, want: plugin.KindInternal},
		"config sentinel":          {err: plugin.ErrConfig, want: plugin.KindConfig},
		"Configf":                  {err: plugin.Configf("key %s is required", "x"), want: plugin.KindConfig},
		"wrapped Configf":          {err: fmt.Errorf("profile p: %w", plugin.Configf("bad")), want: plugin.KindConfig},
		"refused":                  {err: plugin.ErrRefused, want: plugin.KindRefused},
		"wrapped refused":          {err: fmt.Errorf("a: %w", fmt.Errorf("b: %w", plugin.ErrRefused)), want: plugin.KindRefused},
		"interaction":              {err: fmt.Errorf("no terminal: %w", plugin.ErrInteractionRequired), want: plugin.KindInteraction},
		"unavailable":              {err: fmt.Errorf("after 3 tries: %w", plugin.ErrUnavailable), want: plugin.KindUnavailable},
		"config beats refused":     {err: fmt.Errorf("%w: %w", plugin.ErrRefused, plugin.ErrConfig), want: plugin.KindConfig},
		"sentinel beats oauth":     {err: fmt.Errorf("refresh: %w: %w", plugin.ErrInteractionRequired, invalidGrant), want: plugin.KindInteraction},
		"invalid_client":           {err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}, want: plugin.KindRefused},
		"invalid_grant":            {err: invalidGrant, want: plugin.KindRefused},
		"invalid_scope":            {err: &plugin.OAuthError{Code: "invalid_scope", StatusCode: 400}, want: plugin.KindRefused},
		"unauthorized_client":      {err: &plugin.OAuthError{Code: "unauthorized_client"}, want: plugin.KindRefused},
		"wrapped oauth":            {err: fmt.Errorf("token: %w", &plugin.OAuthError{Code: "invalid_client"}), want: plugin.KindRefused},
		"interaction_required":     {err: &plugin.OAuthError{Code: "interaction_required", StatusCode: 400}, want: plugin.KindInteraction},
		"login_required":           {err: &plugin.OAuthError{Code: "login_required"}, want: plugin.KindInteraction},
		"consent_required":         {err: &plugin.OAuthError{Code: "consent_required"}, want: plugin.KindInteraction},
		"account_selection":        {err: &plugin.OAuthError{Code: "account_selection_required"}, want: plugin.KindInteraction},
		"interaction beats 5xx":    {err: &plugin.OAuthError{Code: "interaction_required", StatusCode: 500}, want: plugin.KindInteraction},
		"server_error":             {err: &plugin.OAuthError{Code: "server_error", StatusCode: 500}, want: plugin.KindUnavailable},
		"server_error as 400":      {err: &plugin.OAuthError{Code: "server_error", StatusCode: 400}, want: plugin.KindUnavailable},
		"temporarily_unavailable":  {err: &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503}, want: plugin.KindUnavailable},
		"429 without code":         {err: &plugin.OAuthError{StatusCode: 429}, want: plugin.KindUnavailable},
		"429 with code":            {err: &plugin.OAuthError{Code: "invalid_request", StatusCode: 429}, want: plugin.KindUnavailable},
		"500":                      {err: &plugin.OAuthError{StatusCode: 500}, want: plugin.KindUnavailable},
		"502":                      {err: &plugin.OAuthError{StatusCode: 502}, want: plugin.KindUnavailable},
		"599":                      {err: &plugin.OAuthError{StatusCode: 599}, want: plugin.KindUnavailable},
		"404 without code":         {err: &plugin.OAuthError{StatusCode: 404}, want: plugin.KindRefused},
		"description is not code":  {err: &plugin.OAuthError{Code: "invalid_request", Description: "server_error temporarily_unavailable"}, want: plugin.KindRefused},
		"remote error keeps kind":  {err: &plugin.RemoteError{Kind: plugin.KindUnavailable, Message: "x"}, want: plugin.KindUnavailable},
		"remote internal is plain": {err: &plugin.RemoteError{Kind: plugin.KindInternal, Message: "x"}, want: plugin.KindInternal},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := plugin.KindOf(tc.err); got != tc.want {
				t.Errorf("KindOf(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestKindString(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		kind plugin.Kind
		want string
	}{
		"internal":    {kind: plugin.KindInternal, want: "internal"},
		"config":      {kind: plugin.KindConfig, want: "config"},
		"refused":     {kind: plugin.KindRefused, want: "refused"},
		"interaction": {kind: plugin.KindInteraction, want: "interaction_required"},
		"unavailable": {kind: plugin.KindUnavailable, want: "unavailable"},
		"unknown":     {kind: plugin.Kind(42), want: "internal"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tc.kind.String()); diff != "" {
				t.Errorf("String (-want +got):\n%s", diff)
			}
		})
	}
}

func TestOAuthErrorError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  *plugin.OAuthError
		want string
	}{
		"full": {
			err: &plugin.OAuthError{
				Host: "login.microsoftonline.com", Code: "invalid_client", StatusCode: 401,
				Description:   "AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1\r\n  Correlation ID: 2",
				ErrorCodes:    []int64{7000215},
				TraceID:       "trace-1",
				CorrelationID: "corr-2",
				RetryAfter:    time.Second,
			},
			want: "login.microsoftonline.com: invalid_client: AADSTS7000215: Invalid client secret provided. Trace ID: 1 Correlation ID: 2 (trace_id trace-1, correlation_id corr-2)",
		},
		"trace only":        {err: &plugin.OAuthError{Code: "invalid_grant", TraceID: "t"}, want: "invalid_grant (trace_id t)"},
		"correlation only":  {err: &plugin.OAuthError{Code: "invalid_grant", CorrelationID: "c"}, want: "invalid_grant (correlation_id c)"},
		"no code":           {err: &plugin.OAuthError{Host: "idp.example", StatusCode: 503}, want: "idp.example: HTTP 503"},
		"no code no status": {err: &plugin.OAuthError{Description: "d"}, want: "HTTP 0: d"},
		"blank description": {err: &plugin.OAuthError{Code: "invalid_scope", Description: " \n\t "}, want: "invalid_scope"},
		"tabs and newlines": {err: &plugin.OAuthError{Code: "c", Description: "a\n\nb\tc"}, want: "c: a b c"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tc.err.Error()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Error (-want +got):\n%s", diff)
			}
			if strings.ContainsAny(got, "\r\n") {
				t.Errorf("Error = %q, want one line", got)
			}
		})
	}
}

func TestOAuthErrorRetryable(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  *plugin.OAuthError
		want bool
	}{
		"temporarily_unavailable": {err: &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 400}, want: true},
		"429":                     {err: &plugin.OAuthError{StatusCode: 429}, want: true},
		"500":                     {err: &plugin.OAuthError{Code: "server_error", StatusCode: 500}, want: true},
		"503":                     {err: &plugin.OAuthError{StatusCode: 503}, want: true},
		"server_error as 400":     {err: &plugin.OAuthError{Code: "server_error", StatusCode: 400}, want: false},
		"invalid_grant":           {err: &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400}, want: false},
		"invalid_client":          {err: &plugin.OAuthError{Code: "invalid_client", StatusCode: 401}, want: false},
		"interaction_required":    {err: &plugin.OAuthError{Code: "interaction_required", StatusCode: 400}, want: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Retryable(); got != tc.want {
				t.Errorf("Retryable = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestConfigfWrapsWithoutRepeating(t *testing.T) {
	t.Parallel()
	err := plugin.Configf("key %s: %d", "x", 3)
	type result struct {
		Msg      string
		IsConfig bool
		Unwrap   error
	}
	want := result{Msg: "key x: 3", IsConfig: true, Unwrap: plugin.ErrConfig}
	got := result{Msg: err.Error(), IsConfig: errors.Is(err, plugin.ErrConfig), Unwrap: errors.Unwrap(err)}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("Configf (-want +got):\n%s", diff)
	}
}

func TestErrorf(t *testing.T) {
	t.Parallel()
	oe := &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400}
	err := plugin.Errorf(plugin.ErrUnavailable, "reading: %w", oe)
	if plugin.KindOf(err) != plugin.KindUnavailable || err.Error() != "reading: "+oe.Error() {
		t.Errorf("plugin.Errorf with %%w: kind %v, message %q", plugin.KindOf(err), err)
	}
	var got *plugin.OAuthError
	if !errors.As(err, &got) || got != oe {
		t.Error("plugin.Errorf lost the wrapped *plugin.OAuthError")
	}
	plain := plugin.Errorf(plugin.ErrConfig, "key %s is bad", "x")
	if !errors.Is(plain, plugin.ErrConfig) || errors.As(plain, &got) || plain.Error() != "key x is bad" {
		t.Errorf("plugin.Errorf without %%w: %v", plain)
	}
}
