package host

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

func TestRequestToProto(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req      Request
		brokerID uint32
		want     *keyfobv1.GetTokenRequest
	}{
		"zero": {req: Request{}, want: &keyfobv1.GetTokenRequest{}},
		"every field": {
			req: Request{
				Provider: "p", Config: map[string]string{"k": "v"}, Scopes: []string{"a", "b"}, State: []byte("st"),
				ForceRefresh: true, MinValidity: 90 * time.Second, Claims: "{}",
			},
			brokerID: 7,
			want: &keyfobv1.GetTokenRequest{
				Provider: "p", Config: map[string]string{"k": "v"}, Scopes: []string{"a", "b"}, State: []byte("st"),
				ForceRefresh: true, MinValidity: durationpb.New(90 * time.Second), Claims: "{}", InteractionBrokerId: 7,
			},
		},
		"negative min validity is none": {req: Request{MinValidity: -time.Second}, want: &keyfobv1.GetTokenRequest{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, requestToProto(&tc.req, tc.brokerID), protocmp.Transform()); diff != "" {
				t.Errorf("requestToProto (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenFromProto(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *keyfobv1.GetTokenResponse
		want Token
	}{
		"zero": {in: &keyfobv1.GetTokenResponse{}, want: Token{}},
		"every field": {
			in: &keyfobv1.GetTokenResponse{
				AccessToken: "at", TokenType: "Bearer", ExpiresAt: timestamppb.New(testExpires), State: []byte("st"),
				RefreshAt: timestamppb.New(testRefresh), Scope: "s", IdToken: "idt", ClearState: true, Account: "acct",
			},
			want: Token{
				AccessToken: plugin.NewSecret("at"), TokenType: "Bearer", ExpiresAt: testExpires, State: []byte("st"),
				RefreshAt: testRefresh, Scope: "s", IDToken: plugin.NewSecret("idt"), ClearState: true, Account: "acct",
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tokenFromProto(tc.in)
			if diff := cmp.Diff(tc.want, *got, secretEq); diff != "" {
				t.Errorf("tokenFromProto (-want +got):\n%s", diff)
			}
			if !tc.want.ExpiresAt.IsZero() && got.ExpiresAt.Location() != time.UTC {
				t.Errorf("ExpiresAt in %v, want UTC", got.ExpiresAt.Location())
			}
		})
	}
}

// TestConvertRoundTrip sends a token through the plugin side's converter
// and back through the host side's.
func TestConvertRoundTrip(t *testing.T) {
	t.Parallel()
	want := Token{
		AccessToken: plugin.NewSecret("at"), TokenType: "Bearer", ExpiresAt: testExpires, RefreshAt: testRefresh,
		Scope: "s", IDToken: plugin.NewSecret("idt"), State: []byte{0, 1}, ClearState: true, Account: "a",
	}
	got := tokenFromProto(plugin.TokenToProto(&want))
	if diff := cmp.Diff(want, *got, secretEq); diff != "" {
		t.Errorf("token round trip (-want +got):\n%s", diff)
	}
	req := Request{
		Provider: "p", Config: map[string]string{"k": "v"}, Scopes: []string{"a"}, State: []byte("s"),
		ForceRefresh: true, MinValidity: time.Minute, Claims: "c",
	}
	pr := plugin.RequestFromProto(requestToProto(&req, 3))
	type fields struct {
		Config      plugin.Config
		Scopes      []string
		State       []byte
		Force       bool
		MinValidity time.Duration
		Claims      string
	}
	wantReq := fields{plugin.Config{"k": "v"}, []string{"a"}, []byte("s"), true, time.Minute, "c"}
	gotReq := fields{pr.Config, pr.Scopes, pr.State, pr.ForceRefresh, pr.MinValidity, pr.Claims}
	if diff := cmp.Diff(wantReq, gotReq); diff != "" {
		t.Errorf("request round trip (-want +got):\n%s", diff)
	}
}

func TestProviderInfoFromProto(t *testing.T) {
	t.Parallel()
	for _, want := range testInfos() {
		t.Run(want.Name, func(t *testing.T) {
			t.Parallel()
			got := providerInfoFromProto(plugin.ProviderInfoToProto(want))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("ProviderInfo round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInteractionServer(t *testing.T) {
	t.Parallel()
	forbid := fmt.Errorf("no terminal: %w", plugin.ErrInteractionRequired)
	tests := map[string]struct {
		hostErr   error
		call      func(s *interactionServer) (proto.Message, error)
		want      proto.Message
		wantCode  codes.Code
		wantCalls []any
	}{
		"notify": {
			call: func(s *interactionServer) (proto.Message, error) {
				return s.Notify(context.Background(), &keyfobv1.NotifyRequest{
					Message: "m", VerificationUri: "u", UserCode: "c", ExpiresAt: timestamppb.New(testExpires),
				})
			},
			want:      &keyfobv1.NotifyResponse{},
			wantCalls: []any{plugin.Notice{Message: "m", VerificationURI: "u", UserCode: "c", ExpiresAt: testExpires}},
		},
		"notify without expiry": {
			call: func(s *interactionServer) (proto.Message, error) {
				return s.Notify(context.Background(), &keyfobv1.NotifyRequest{Message: "m"})
			},
			want: &keyfobv1.NotifyResponse{}, wantCalls: []any{plugin.Notice{Message: "m"}},
		},
		"open browser": {
			call: func(s *interactionServer) (proto.Message, error) {
				return s.OpenBrowser(context.Background(), &keyfobv1.OpenBrowserRequest{Url: "https://x", Message: "m"})
			},
			want: &keyfobv1.OpenBrowserResponse{Opened: true}, wantCalls: []any{browserCall{"https://x", "m"}},
		},
		"prompt": {
			call: func(s *interactionServer) (proto.Message, error) {
				return s.Prompt(context.Background(), &keyfobv1.PromptRequest{Message: "q", Secret: true})
			},
			want: &keyfobv1.PromptResponse{Answer: "hunter2"}, wantCalls: []any{promptCall{"q", true}},
		},
		"forbidden is failed precondition": {
			hostErr: forbid,
			call: func(s *interactionServer) (proto.Message, error) {
				return s.Prompt(context.Background(), &keyfobv1.PromptRequest{Message: "q"})
			},
			wantCode: codes.FailedPrecondition, wantCalls: []any{promptCall{"q", false}},
		},
		"other failure is unknown": {
			hostErr: errors.New("tty closed"),
			call: func(s *interactionServer) (proto.Message, error) {
				return s.OpenBrowser(context.Background(), &keyfobv1.OpenBrowserRequest{Url: "u"})
			},
			wantCode: codes.Unknown, wantCalls: []any{browserCall{"u", ""}},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recordingInteraction{err: tc.hostErr}
			resp, err := tc.call(&interactionServer{ia: rec})
			if got := status.Code(err); got != tc.wantCode {
				t.Errorf("code = %v, want %v (err %v)", got, tc.wantCode, err)
			}
			if err == nil {
				if diff := cmp.Diff(tc.want, resp, protocmp.Transform()); diff != "" {
					t.Errorf("response (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tc.wantCalls, rec.recorded()); diff != "" {
				t.Errorf("calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPluginExitedError(t *testing.T) {
	t.Parallel()
	cause := errors.New("transport is closing")
	err := error(&PluginExitedError{Path: "/bin/p", Pid: 1234, Err: cause})
	if diff := cmp.Diff("plugin /bin/p (pid 1234) exited during the call: transport is closing", err.Error()); diff != "" {
		t.Errorf("Error (-want +got):\n%s", diff)
	}
	killed := &PluginExitedError{Path: "/bin/p", Pid: 1234, Status: "signal: killed", Err: cause}
	if diff := cmp.Diff("plugin /bin/p (pid 1234) exited during the call: signal: killed", killed.Error()); diff != "" {
		t.Errorf("Error (-want +got):\n%s", diff)
	}
	if !errors.Is(err, cause) {
		t.Error("PluginExitedError does not unwrap to its cause")
	}
	if plugin.KindOf(err) != plugin.KindInternal {
		t.Errorf("KindOf = %v, want internal", plugin.KindOf(err))
	}
}
