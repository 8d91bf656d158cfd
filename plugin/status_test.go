package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// sentinels lists the sentinel errors by name, for comparing which of them
// an error matches.
var sentinels = map[string]error{
	"config":      plugin.ErrConfig,
	"refused":     plugin.ErrRefused,
	"interaction": plugin.ErrInteractionRequired,
	"unavailable": plugin.ErrUnavailable,
}

// matches returns the names of the sentinels err matches with errors.Is.
func matches(err error) map[string]bool {
	out := map[string]bool{}
	for name, s := range sentinels {
		if errors.Is(err, s) {
			out[name] = true
		}
	}
	return out
}

func fullOAuthError() *plugin.OAuthError {
	return &plugin.OAuthError{
		Code:          "invalid_client",
		Description:   "AADSTS7000215: Invalid client secret provided.",
		URI:           "https://login.microsoftonline.com/error?code=7000215",
		ErrorCodes:    []int64{7000215, 50011},
		TraceID:       "0d9b7f1a-trace",
		CorrelationID: "8c1e2f3a-correlation",
		Claims:        `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`,
		StatusCode:    401,
		Host:          "login.microsoftonline.com",
		RetryAfter:    90 * time.Second,
	}
}

func TestStatusRoundTrip(t *testing.T) {
	t.Parallel()
	oe := fullOAuthError()
	busy := &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503, RetryAfter: 3 * time.Second, Host: "idp"}
	statusOnly := &plugin.OAuthError{StatusCode: 502, Host: "idp"}
	tests := map[string]struct {
		err       error
		wantCode  codes.Code
		wantKind  plugin.Kind
		wantIs    map[string]bool
		wantOAuth *plugin.OAuthError // nil: errors.As must fail
	}{
		"internal": {
			err: errors.New("boom"), wantCode: codes.Internal, wantKind: plugin.KindInternal, wantIs: map[string]bool{},
		},
		"config": {
			err: plugin.Configf("key tenant is required"), wantCode: codes.InvalidArgument, wantKind: plugin.KindConfig,
			wantIs: map[string]bool{"config": true},
		},
		"refused sentinel": {
			err: fmt.Errorf("no: %w", plugin.ErrRefused), wantCode: codes.PermissionDenied, wantKind: plugin.KindRefused,
			wantIs: map[string]bool{"refused": true},
		},
		"interaction sentinel": {
			err: fmt.Errorf("no terminal: %w", plugin.ErrInteractionRequired), wantCode: codes.FailedPrecondition,
			wantKind: plugin.KindInteraction, wantIs: map[string]bool{"interaction": true},
		},
		"unavailable sentinel": {
			err: fmt.Errorf("dial: %w", plugin.ErrUnavailable), wantCode: codes.Unavailable, wantKind: plugin.KindUnavailable,
			wantIs: map[string]bool{"unavailable": true},
		},
		"oauth error with every field": {
			err: oe, wantCode: codes.PermissionDenied, wantKind: plugin.KindRefused,
			wantIs: map[string]bool{"refused": true}, wantOAuth: oe,
		},
		"wrapped oauth error": {
			err: fmt.Errorf("token endpoint: %w", oe), wantCode: codes.PermissionDenied, wantKind: plugin.KindRefused,
			wantIs: map[string]bool{"refused": true}, wantOAuth: oe,
		},
		"oauth error reclassified": {
			err:      fmt.Errorf("stored refresh token: %w: %w", plugin.ErrInteractionRequired, oe),
			wantCode: codes.FailedPrecondition, wantKind: plugin.KindInteraction,
			wantIs: map[string]bool{"interaction": true}, wantOAuth: oe,
		},
		"oauth unavailable": {
			err: busy, wantCode: codes.Unavailable, wantKind: plugin.KindUnavailable,
			wantIs: map[string]bool{"unavailable": true}, wantOAuth: busy,
		},
		"oauth status only": {
			err: statusOnly, wantCode: codes.Unavailable, wantKind: plugin.KindUnavailable,
			wantIs: map[string]bool{"unavailable": true}, wantOAuth: statusOnly,
		},
		"oauth interaction_required": {
			err:      &plugin.OAuthError{Code: "interaction_required", Description: "AADSTS50076"},
			wantCode: codes.FailedPrecondition, wantKind: plugin.KindInteraction,
			wantIs:    map[string]bool{"interaction": true},
			wantOAuth: &plugin.OAuthError{Code: "interaction_required", Description: "AADSTS50076"},
		},
		"deadline": {
			err: context.DeadlineExceeded, wantCode: codes.DeadlineExceeded, wantKind: plugin.KindUnavailable,
			wantIs: map[string]bool{"unavailable": true},
		},
		"wrapped deadline": {
			err: fmt.Errorf("posting: %w", context.DeadlineExceeded), wantCode: codes.DeadlineExceeded,
			wantKind: plugin.KindUnavailable, wantIs: map[string]bool{"unavailable": true},
		},
		"deadline inside config keeps config": {
			err:      fmt.Errorf("%w: %w", plugin.ErrConfig, context.DeadlineExceeded),
			wantCode: codes.InvalidArgument, wantKind: plugin.KindConfig, wantIs: map[string]bool{"config": true},
		},
		"canceled": {
			err: context.Canceled, wantCode: codes.Internal, wantKind: plugin.KindInternal, wantIs: map[string]bool{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := plugin.ToStatus(tc.err)
			if got := status.Code(st); got != tc.wantCode {
				t.Errorf("status code = %v, want %v", got, tc.wantCode)
			}
			got := plugin.FromStatus(st)
			if got == nil {
				t.Fatal("FromStatus = nil")
			}
			if diff := cmp.Diff(tc.err.Error(), got.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			if k := plugin.KindOf(got); k != tc.wantKind {
				t.Errorf("KindOf = %v, want %v", k, tc.wantKind)
			}
			if diff := cmp.Diff(tc.wantIs, matches(got)); diff != "" {
				t.Errorf("errors.Is with sentinels (-want +got):\n%s", diff)
			}
			var oe *plugin.OAuthError
			if ok := errors.As(got, &oe); ok != (tc.wantOAuth != nil) {
				t.Fatalf("errors.As(*OAuthError) = %v, want %v", ok, tc.wantOAuth != nil)
			}
			if diff := cmp.Diff(tc.wantOAuth, oe); diff != "" {
				t.Errorf("OAuthError after the round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFromStatus(t *testing.T) {
	t.Parallel()
	passThrough := errors.New("connection reset")
	tests := map[string]struct {
		in       error
		wantSame bool // FromStatus returns in itself
		wantKind plugin.Kind
		wantMsg  string
	}{
		"nil":                   {in: nil, wantSame: true},
		"non-status":            {in: passThrough, wantSame: true, wantKind: plugin.KindInternal, wantMsg: "connection reset"},
		"eof":                   {in: io.EOF, wantSame: true, wantKind: plugin.KindInternal, wantMsg: "EOF"},
		"unavailable no detail": {in: status.Error(codes.Unavailable, "conn refused"), wantKind: plugin.KindUnavailable, wantMsg: "conn refused"},
		"deadline no detail":    {in: status.Error(codes.DeadlineExceeded, "slow"), wantKind: plugin.KindUnavailable, wantMsg: "slow"},
		"canceled no detail":    {in: status.Error(codes.Canceled, "gone"), wantKind: plugin.KindInternal, wantMsg: "gone"},
		"invalid argument":      {in: status.Error(codes.InvalidArgument, "bad"), wantKind: plugin.KindConfig, wantMsg: "bad"},
		"permission denied":     {in: status.Error(codes.PermissionDenied, "no"), wantKind: plugin.KindRefused, wantMsg: "no"},
		"failed precondition":   {in: status.Error(codes.FailedPrecondition, "ask"), wantKind: plugin.KindInteraction, wantMsg: "ask"},
		"unknown code":          {in: status.Error(codes.NotFound, "nf"), wantKind: plugin.KindInternal, wantMsg: "nf"},
		"unimplemented":         {in: status.Error(codes.Unimplemented, "old plugin"), wantKind: plugin.KindInternal, wantMsg: "old plugin"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := plugin.FromStatus(tc.in)
			if tc.wantSame && got != tc.in {
				t.Errorf("FromStatus(%v) = %v, want the same error back", tc.in, got)
			}
			if got == nil {
				return
			}
			if k := plugin.KindOf(got); k != tc.wantKind {
				t.Errorf("KindOf = %v, want %v", k, tc.wantKind)
			}
			if diff := cmp.Diff(tc.wantMsg, got.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToStatusNil(t *testing.T) {
	t.Parallel()
	if err := plugin.ToStatus(nil); err != nil {
		t.Errorf("ToStatus(nil) = %v, want nil", err)
	}
}

func TestRemoteErrorUnwrap(t *testing.T) {
	t.Parallel()
	oe := &plugin.OAuthError{Code: "invalid_grant"}
	tests := map[string]struct {
		err  *plugin.RemoteError
		want []error
	}{
		"internal":            {err: &plugin.RemoteError{Kind: plugin.KindInternal}, want: nil},
		"config":              {err: &plugin.RemoteError{Kind: plugin.KindConfig}, want: []error{plugin.ErrConfig}},
		"refused with oauth":  {err: &plugin.RemoteError{Kind: plugin.KindRefused, OAuth: oe}, want: []error{plugin.ErrRefused, oe}},
		"interaction":         {err: &plugin.RemoteError{Kind: plugin.KindInteraction}, want: []error{plugin.ErrInteractionRequired}},
		"unavailable":         {err: &plugin.RemoteError{Kind: plugin.KindUnavailable}, want: []error{plugin.ErrUnavailable}},
		"internal with oauth": {err: &plugin.RemoteError{Kind: plugin.KindInternal, OAuth: oe}, want: []error{oe}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tc.err.Unwrap(), cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("Unwrap (-want +got):\n%s", diff)
			}
		})
	}
}
