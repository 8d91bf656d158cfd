package plugin_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/keyfob/keyfob/plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/testing/protocmp"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"
)

var (
	wireExpires = time.Date(2030, 1, 2, 3, 4, 5, 600, time.UTC)
	wireRefresh = time.Date(2030, 1, 2, 2, 0, 0, 0, time.UTC)
)

// echo is what the echo provider saw, sent back as its access token so a
// test can prove every request field crossed the wire.
type echo struct {
	Config       map[string]string
	Scopes       []string
	State        []byte
	ForceRefresh bool
	MinValidity  time.Duration
	Claims       string
	CanAsk       bool
	HasLogger    bool
}

func echoProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	_, noOne := req.Interaction.(plugin.NoInteraction)
	b, err := json.Marshal(echo{
		Config: req.Config, Scopes: req.Scopes, State: req.State, ForceRefresh: req.ForceRefresh,
		MinValidity: req.MinValidity, Claims: req.Claims, CanAsk: !noOne, HasLogger: req.Logger != nil,
	})
	if err != nil {
		return nil, err
	}
	return &plugin.Token{
		AccessToken: plugin.NewSecret(string(b)),
		TokenType:   "Bearer",
		ExpiresAt:   wireExpires,
		RefreshAt:   wireRefresh,
		Scope:       "openid profile",
		IDToken:     plugin.NewSecret("id.token.value"),
		State:       []byte("state\x00out"),
		ClearState:  req.Config["clear_state"] == "true",
		Account:     "user@example.com",
	}, nil
}

// wireErrors are the errors the fail provider returns, by config "error".
var wireErrors = map[string]error{
	"config":      plugin.Configf("key tenant is required"),
	"refused":     fullOAuthError(),
	"interaction": fmt.Errorf("refresh token expired: %w: %w", plugin.ErrInteractionRequired, &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400}),
	"unavailable": &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503, RetryAfter: 5 * time.Second},
	"internal":    errors.New("provider bug"),
	"deadline":    fmt.Errorf("token endpoint: %w", context.DeadlineExceeded),
}

func failProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	return nil, wireErrors[req.Config["error"]]
}

// interactProvider asks the user everything an interactive grant would.
func interactProvider(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	err := req.Interaction.Notify(ctx, plugin.Notice{
		Message: "To sign in, use a web browser", VerificationURI: "https://microsoft.com/devicelogin",
		UserCode: "ABCD-EFGH", ExpiresAt: wireExpires,
	})
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	opened, err := req.Interaction.OpenBrowser(ctx, "https://idp.example/authorize?x=1", "Open this page")
	if err != nil {
		return nil, fmt.Errorf("open browser: %w", err)
	}
	answer, err := req.Interaction.Prompt(ctx, "Password:", true)
	if err != nil {
		return nil, fmt.Errorf("prompt: %w", err)
	}
	return &plugin.Token{AccessToken: plugin.NewSecret(fmt.Sprintf("opened=%v answer=%s", opened, answer))}, nil
}

func wireInfos() []plugin.ProviderInfo {
	return []plugin.ProviderInfo{
		{Name: "echo", Description: "Echoes the request.", Keys: []plugin.KeyInfo{
			{Name: "client_id", Description: "Application id", Required: true},
			{Name: "client_secret", Secret: true},
			{Name: "scopes", List: true},
		}},
		{Name: "fail", Description: "Fails."},
		{Name: "interact", Description: "Asks the user.", Interactive: true},
		{Name: "minimal"},
	}
}

func wireRegistry() *plugin.Registry {
	var reg plugin.Registry
	infos := wireInfos()
	// Registered out of order: ListProviders sorts.
	reg.Register(infos[3], plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return &plugin.Token{AccessToken: plugin.NewSecret("at")}, nil
	}))
	reg.Register(infos[2], plugin.ProviderFunc(interactProvider))
	reg.Register(infos[0], plugin.ProviderFunc(echoProvider))
	reg.Register(infos[1], plugin.ProviderFunc(failProvider))
	return &reg
}

// brokerModes runs the wire tests with go-plugin's multiplexed broker and
// with its one-socket-per-service broker (what host.Launch uses).
var brokerModes = map[string]bool{"multiplexed": true, "broker sockets": false}

// dialWire serves reg in process through go-plugin and dispenses the token
// service the way a host does.
func dialWire(t *testing.T, multiplex bool, reg *plugin.Registry) *plugin.Conn {
	t.Helper()
	client, _ := goplugin.TestPluginGRPCConn(t, multiplex, map[string]goplugin.Plugin{
		plugin.PluginKey: &plugin.GRPCPlugin{Registry: reg, Version: "1.2.3"},
	})
	t.Cleanup(func() { _ = client.Close() })
	raw, err := client.Dispense(plugin.PluginKey)
	if err != nil {
		t.Fatalf("Dispense: %v", err)
	}
	conn, ok := raw.(*plugin.Conn)
	if !ok {
		t.Fatalf("Dispense returned %T, want *plugin.Conn", raw)
	}
	if conn.Broker == nil || conn.Client == nil {
		t.Fatalf("Conn = %+v, want a client and a broker", conn)
	}
	return conn
}

func TestWireGetToken(t *testing.T) {
	t.Parallel()
	full := &keyfobv1.GetTokenRequest{
		Provider: "echo",
		Config: map[string]string{
			"client_id": "app", "client_secret": "env:KEYFOB_NOT_RESOLVED_ON_THE_WIRE",
			"scopes": `["a","b"]`, "clear_state": "true",
		},
		Scopes:       []string{"https://graph.microsoft.com/.default", "offline_access"},
		State:        []byte{0, 1, 2, 0xff},
		ForceRefresh: true,
		MinValidity:  durationpb.New(90 * time.Second),
		Claims:       `{"access_token":{"xms_cc":{"values":["cp1"]}}}`,
	}
	tests := map[string]struct {
		req      *keyfobv1.GetTokenRequest
		wantEcho *echo // nil: the token is not an echo
		want     *keyfobv1.GetTokenResponse
	}{
		"every field": {
			req: full,
			wantEcho: &echo{
				Config: full.Config, Scopes: full.Scopes, State: full.State, ForceRefresh: true,
				MinValidity: 90 * time.Second, Claims: full.Claims, HasLogger: true,
			},
			want: &keyfobv1.GetTokenResponse{
				TokenType: "Bearer", ExpiresAt: timestamppb.New(wireExpires), State: []byte("state\x00out"),
				RefreshAt: timestamppb.New(wireRefresh), Scope: "openid profile", IdToken: "id.token.value",
				ClearState: true, Account: "user@example.com",
			},
		},
		"zero request": {
			req:      &keyfobv1.GetTokenRequest{Provider: "echo"},
			wantEcho: &echo{HasLogger: true},
			want: &keyfobv1.GetTokenResponse{
				TokenType: "Bearer", ExpiresAt: timestamppb.New(wireExpires), State: []byte("state\x00out"),
				RefreshAt: timestamppb.New(wireRefresh), Scope: "openid profile", IdToken: "id.token.value",
				Account: "user@example.com",
			},
		},
		"minimal token": {
			req:  &keyfobv1.GetTokenRequest{Provider: "minimal"},
			want: &keyfobv1.GetTokenResponse{AccessToken: "at"},
		},
	}
	for mode, mux := range brokerModes {
		for name, tc := range tests {
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				conn := dialWire(t, mux, wireRegistry())
				resp, err := conn.Client.GetToken(t.Context(), tc.req)
				if err != nil {
					t.Fatalf("GetToken: %v", err)
				}
				if tc.wantEcho != nil {
					var got echo
					if err := json.Unmarshal([]byte(resp.GetAccessToken()), &got); err != nil {
						t.Fatalf("access token %q is not an echo: %v", resp.GetAccessToken(), err)
					}
					if diff := cmp.Diff(*tc.wantEcho, got); diff != "" {
						t.Errorf("request as the provider saw it (-want +got):\n%s", diff)
					}
					resp.AccessToken = ""
				}
				if diff := cmp.Diff(tc.want, resp, protocmp.Transform()); diff != "" {
					t.Errorf("response (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestWireErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req       *keyfobv1.GetTokenRequest
		wantCode  codes.Code
		wantKind  plugin.Kind
		wantMsg   string
		wantOAuth *plugin.OAuthError
	}{
		"unknown provider": {
			req: &keyfobv1.GetTokenRequest{Provider: "nope"}, wantCode: codes.InvalidArgument, wantKind: plugin.KindConfig,
			wantMsg: `unknown provider "nope" (this plugin has: [echo fail interact minimal])`,
		},
		"config": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "config"}},
			wantCode: codes.InvalidArgument, wantKind: plugin.KindConfig, wantMsg: "key tenant is required",
		},
		"refused with every oauth field": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "refused"}},
			wantCode: codes.PermissionDenied, wantKind: plugin.KindRefused, wantMsg: fullOAuthError().Error(),
			wantOAuth: fullOAuthError(),
		},
		"interaction": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "interaction"}},
			wantCode: codes.FailedPrecondition, wantKind: plugin.KindInteraction,
			wantMsg:   "refresh token expired: interaction required: invalid_grant",
			wantOAuth: &plugin.OAuthError{Code: "invalid_grant", StatusCode: 400},
		},
		"unavailable": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "unavailable"}},
			wantCode: codes.Unavailable, wantKind: plugin.KindUnavailable, wantMsg: "temporarily_unavailable",
			wantOAuth: &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503, RetryAfter: 5 * time.Second},
		},
		"internal": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "internal"}},
			wantCode: codes.Internal, wantKind: plugin.KindInternal, wantMsg: "provider bug",
		},
		"deadline": {
			req:      &keyfobv1.GetTokenRequest{Provider: "fail", Config: map[string]string{"error": "deadline"}},
			wantCode: codes.DeadlineExceeded, wantKind: plugin.KindUnavailable, wantMsg: "token endpoint: context deadline exceeded",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			conn := dialWire(t, true, wireRegistry())
			resp, callErr := conn.Client.GetToken(t.Context(), tc.req)
			if callErr == nil {
				t.Fatalf("GetToken = %v, want an error", resp)
			}
			if got := status.Code(callErr); got != tc.wantCode {
				t.Errorf("status code = %v, want %v", got, tc.wantCode)
			}
			err := plugin.FromStatus(callErr)
			if got := plugin.KindOf(err); got != tc.wantKind {
				t.Errorf("KindOf = %v, want %v", got, tc.wantKind)
			}
			if diff := cmp.Diff(tc.wantMsg, err.Error()); diff != "" {
				t.Errorf("message (-want +got):\n%s", diff)
			}
			var oe *plugin.OAuthError
			errors.As(err, &oe)
			if diff := cmp.Diff(tc.wantOAuth, oe); diff != "" {
				t.Errorf("OAuthError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWireListProviders(t *testing.T) {
	t.Parallel()
	conn := dialWire(t, true, wireRegistry())
	resp, err := conn.Client.ListProviders(t.Context(), &keyfobv1.ListProvidersRequest{})
	if err != nil {
		t.Fatalf("ListProviders: %v", err)
	}
	want := &keyfobv1.ListProvidersResponse{
		PluginVersion: "1.2.3",
		Providers: []*keyfobv1.ProviderInfo{
			{Name: "echo", Description: "Echoes the request.", ConfigKeys: []*keyfobv1.ConfigKey{
				{Name: "client_id", Description: "Application id", Required: true},
				{Name: "client_secret", Secret: true},
				{Name: "scopes", List: true},
			}},
			{Name: "fail", Description: "Fails."},
			{Name: "interact", Description: "Asks the user.", Interactive: true},
			{Name: "minimal"},
		},
	}
	if diff := cmp.Diff(want, resp, protocmp.Transform()); diff != "" {
		t.Errorf("ListProviders (-want +got):\n%s", diff)
	}
}

// fakeInteractionServer is the host's InteractionService, recording what
// the plugin asked.
type fakeInteractionServer struct {
	keyfobv1.UnimplementedInteractionServiceServer
	err error // returned by every method when set

	mu    sync.Mutex
	calls []proto.Message
}

func (f *fakeInteractionServer) record(m proto.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, m)
	return f.err
}

func (f *fakeInteractionServer) recorded() []proto.Message {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]proto.Message(nil), f.calls...)
}

func (f *fakeInteractionServer) Notify(_ context.Context, in *keyfobv1.NotifyRequest) (*keyfobv1.NotifyResponse, error) {
	if err := f.record(in); err != nil {
		return nil, err
	}
	return &keyfobv1.NotifyResponse{}, nil
}

func (f *fakeInteractionServer) OpenBrowser(_ context.Context, in *keyfobv1.OpenBrowserRequest) (*keyfobv1.OpenBrowserResponse, error) {
	if err := f.record(in); err != nil {
		return nil, err
	}
	return &keyfobv1.OpenBrowserResponse{Opened: true}, nil
}

func (f *fakeInteractionServer) Prompt(_ context.Context, in *keyfobv1.PromptRequest) (*keyfobv1.PromptResponse, error) {
	if err := f.record(in); err != nil {
		return nil, err
	}
	return &keyfobv1.PromptResponse{Answer: "hunter2"}, nil
}

// serveInteraction serves f on the broker the way the host package does
// and returns its broker id.
func serveInteraction(conn *plugin.Conn, f *fakeInteractionServer) uint32 {
	id := conn.Broker.NextId()
	go conn.Broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		keyfobv1.RegisterInteractionServiceServer(s, f)
		return s
	})
	return id
}

func TestWireInteraction(t *testing.T) {
	t.Parallel()
	everything := []proto.Message{
		&keyfobv1.NotifyRequest{
			Message: "To sign in, use a web browser", VerificationUri: "https://microsoft.com/devicelogin",
			UserCode: "ABCD-EFGH", ExpiresAt: timestamppb.New(wireExpires),
		},
		&keyfobv1.OpenBrowserRequest{Url: "https://idp.example/authorize?x=1", Message: "Open this page"},
		&keyfobv1.PromptRequest{Message: "Password:", Secret: true},
	}
	notifyOnly := everything[:1]
	tests := map[string]struct {
		noHost    bool  // broker id 0
		hostErr   error // what the host answers to every call
		wantToken string
		wantKind  plugin.Kind
		wantMsg   string
		wantCalls []proto.Message
	}{
		"host answers": {
			wantToken: "opened=true answer=hunter2", wantCalls: everything,
		},
		"nobody to ask": {
			noHost: true, wantKind: plugin.KindInteraction, wantMsg: "notify: interaction required",
		},
		"host forbids asking": {
			hostErr:  status.Error(codes.FailedPrecondition, "sign-in is disabled"),
			wantKind: plugin.KindInteraction, wantMsg: "notify: sign-in is disabled: interaction required",
			wantCalls: notifyOnly,
		},
		"host fails": {
			hostErr:   status.Error(codes.Unknown, "terminal gone"),
			wantKind:  plugin.KindInternal,
			wantMsg:   "notify: interaction with the host failed: rpc error: code = Unknown desc = terminal gone",
			wantCalls: notifyOnly,
		},
	}
	for mode, mux := range brokerModes {
		for name, tc := range tests {
			t.Run(mode+"/"+name, func(t *testing.T) {
				t.Parallel()
				conn := dialWire(t, mux, wireRegistry())
				req := &keyfobv1.GetTokenRequest{Provider: "interact"}
				host := &fakeInteractionServer{err: tc.hostErr}
				if !tc.noHost {
					req.InteractionBrokerId = serveInteraction(conn, host)
				}
				resp, err := conn.Client.GetToken(t.Context(), req)
				err = plugin.FromStatus(err)
				if diff := cmp.Diff(tc.wantMsg, errString(err)); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if err != nil && plugin.KindOf(err) != tc.wantKind {
					t.Errorf("KindOf = %v, want %v", plugin.KindOf(err), tc.wantKind)
				}
				if diff := cmp.Diff(tc.wantToken, resp.GetAccessToken()); diff != "" {
					t.Errorf("token (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.wantCalls, host.recorded(), protocmp.Transform()); diff != "" {
					t.Errorf("host saw (-want +got):\n%s", diff)
				}
			})
		}
	}
}

func TestWireConcurrentCalls(t *testing.T) {
	t.Parallel()
	conn := dialWire(t, true, wireRegistry())
	const n = 16
	errs := make(chan error, n)
	for i := range n {
		go func() {
			state := []byte(fmt.Sprintf("call-%d", i))
			resp, err := conn.Client.GetToken(t.Context(), &keyfobv1.GetTokenRequest{Provider: "echo", State: state})
			if err != nil {
				errs <- err
				return
			}
			var got echo
			if err := json.Unmarshal([]byte(resp.GetAccessToken()), &got); err != nil {
				errs <- err
				return
			}
			if string(got.State) != string(state) {
				errs <- fmt.Errorf("call %d: provider saw state %q", i, got.State)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestRequestFromProtoDefaults(t *testing.T) {
	t.Parallel()
	req := plugin.RequestFromProto(&keyfobv1.GetTokenRequest{InteractionBrokerId: 7})
	if _, ok := req.Interaction.(plugin.NoInteraction); !ok {
		t.Errorf("Interaction = %T, want NoInteraction until the server dials the broker", req.Interaction)
	}
	if req.Logger == nil {
		t.Error("Logger = nil, want a null logger")
	}
	type fields struct {
		Config      plugin.Config
		Scopes      []string
		State       []byte
		Force       bool
		MinValidity time.Duration
		Claims      string
	}
	got := fields{req.Config, req.Scopes, req.State, req.ForceRefresh, req.MinValidity, req.Claims}
	if diff := cmp.Diff(fields{}, got); diff != "" {
		t.Errorf("zero request (-want +got):\n%s", diff)
	}
}

func TestTokenToProto(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   *plugin.Token
		want *keyfobv1.GetTokenResponse
	}{
		"zero": {in: &plugin.Token{}, want: &keyfobv1.GetTokenResponse{}},
		"every field": {
			in: &plugin.Token{
				AccessToken: plugin.NewSecret("at"), TokenType: "Bearer", ExpiresAt: wireExpires, RefreshAt: wireRefresh,
				Scope: "s", IDToken: plugin.NewSecret("idt"), State: []byte("st"), ClearState: true, Account: "acct",
			},
			want: &keyfobv1.GetTokenResponse{
				AccessToken: "at", TokenType: "Bearer", ExpiresAt: timestamppb.New(wireExpires),
				RefreshAt: timestamppb.New(wireRefresh), Scope: "s", IdToken: "idt", State: []byte("st"),
				ClearState: true, Account: "acct",
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, plugin.TokenToProto(tc.in), protocmp.Transform()); diff != "" {
				t.Errorf("TokenToProto (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNoInteraction(t *testing.T) {
	t.Parallel()
	var ia plugin.Interaction = plugin.NoInteraction{}
	ctx := t.Context()
	opened, berr := ia.OpenBrowser(ctx, "https://x", "m")
	answer, perr := ia.Prompt(ctx, "q", false)
	got := map[string]any{
		"notify":  errors.Is(ia.Notify(ctx, plugin.Notice{}), plugin.ErrInteractionRequired),
		"browser": errors.Is(berr, plugin.ErrInteractionRequired),
		"opened":  opened,
		"prompt":  errors.Is(perr, plugin.ErrInteractionRequired),
		"answer":  answer,
	}
	want := map[string]any{"notify": true, "browser": true, "opened": false, "prompt": true, "answer": ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("NoInteraction (-want +got):\n%s", diff)
	}
}
