package host

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyfob/keyfob/plugin"
)

// The test binary doubles as the plugin: launched by go-plugin (with
// keyfob's handshake cookie in its environment) it serves testRegistry;
// with hostModeEnv set it is a helper host process (see hostMode); else it
// runs the tests.
func TestMain(m *testing.M) {
	if plugin.IsPluginLaunch(os.Getenv) && os.Getenv(serveV2Env) != "" {
		serveV1AndV2() // see version_test.go
		os.Exit(0)
	}
	if plugin.IsPluginLaunch(os.Getenv) {
		plugin.Serve(plugin.ServeOpts{Registry: testRegistry(), Version: testPluginVersion})
		os.Exit(0)
	}
	if mode := os.Getenv(hostModeEnv); mode != "" {
		os.Exit(hostMode(mode))
	}
	os.Exit(m.Run())
}

const testPluginVersion = "test-1"

var (
	testExpires = time.Date(2031, 2, 3, 4, 5, 6, 789, time.UTC)
	testRefresh = time.Date(2031, 2, 3, 3, 0, 0, 0, time.UTC)
)

// echo is what the echo provider received, sent back as its access token.
type echo struct {
	Config       map[string]string
	Scopes       []string
	State        []byte
	ForceRefresh bool
	MinValidity  time.Duration
	Claims       string
	CanAsk       bool
}

// stdinReport is what the stdin provider found on the plugin's stdin.
type stdinReport struct {
	DevNull bool   // os.Stdin is the same file as os.DevNull
	Bytes   int    // bytes read before EOF (or the time limit)
	Err     string // the read's error: "EOF" when stdin is empty
}

// testInfos describes the providers of testRegistry.
func testInfos() []plugin.ProviderInfo {
	return []plugin.ProviderInfo{
		{Name: "counter", Description: "Counts calls.", Keys: []plugin.KeyInfo{
			{Name: "id", Required: true}, {Name: "expires_at"}, {Name: "clear_on"}, {Name: "keep_on"},
		}},
		{Name: "crash_once", Description: "Exits on its first call, then answers.", Keys: []plugin.KeyInfo{{Name: "marker", Required: true}}},
		{Name: "echo", Description: "Echoes the request.", Keys: []plugin.KeyInfo{
			{Name: "client_id", Description: "Application id", Required: true},
			{Name: "client_secret", Secret: true},
			{Name: "scopes", List: true},
		}},
		{Name: "env", Description: "Reports its environment."},
		{Name: "exit", Description: "Exits mid-request."},
		{Name: "fail", Description: "Fails as configured."},
		{Name: "interact", Description: "Asks the user.", Interactive: true},
		{Name: "slow", Description: "Waits for the request to be cancelled."},
		{Name: "stdin", Description: "Reports its stdin."},
	}
}

func testRegistry() *plugin.Registry {
	providers := map[string]plugin.ProviderFunc{
		"counter": (&counters{n: map[string]int{}}).provide, "crash_once": crashOnceProvider, "echo": echoProvider, "env": envProvider,
		"exit": exitProvider, "fail": failProvider, "interact": interactProvider, "slow": slowProvider,
		"stdin": stdinProvider,
	}
	var reg plugin.Registry
	for _, info := range testInfos() {
		reg.Register(info, providers[info.Name])
	}
	return &reg
}

func echoProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	_, noOne := req.Interaction.(plugin.NoInteraction)
	b, err := json.Marshal(echo{
		Config: req.Config, Scopes: req.Scopes, State: req.State, ForceRefresh: req.ForceRefresh,
		MinValidity: req.MinValidity, Claims: req.Claims, CanAsk: !noOne,
	})
	if err != nil {
		return nil, err
	}
	return &plugin.Token{
		AccessToken: plugin.NewSecret(string(b)),
		TokenType:   "Bearer",
		ExpiresAt:   testExpires,
		RefreshAt:   testRefresh,
		Scope:       strings.Join(req.Scopes, " "),
		IDToken:     plugin.NewSecret("id." + req.Config["client_id"]),
		State:       append([]byte("next:"), req.State...),
		ClearState:  req.Config["clear_state"] == "true",
		Account:     req.Config["account"],
	}, nil
}

// counters serves the counter provider: per config "id" it counts calls
// and hands out state "state-N"; the token's Account is the state it was
// given, so a test sees what the host carried from call to call.
type counters struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *counters) provide(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	c.mu.Lock()
	c.n[req.Config["id"]]++
	n := c.n[req.Config["id"]]
	c.mu.Unlock()
	tok := &plugin.Token{
		AccessToken: plugin.NewSecret(fmt.Sprintf("call-%d", n)),
		TokenType:   "bearer",
		Scope:       req.MinValidity.String(),
		Account:     string(req.State),
		State:       []byte(fmt.Sprintf("state-%d", n)),
	}
	if v := req.Config["expires_at"]; v != "" {
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return nil, plugin.Configf("expires_at: %v", err)
		}
		tok.ExpiresAt = t
	}
	switch strconv.Itoa(n) {
	case req.Config["clear_on"]:
		tok.State, tok.ClearState = nil, true
	case req.Config["keep_on"]:
		tok.State = nil
	}
	return tok, nil
}

// testErrors are the errors the fail provider returns, by config "error".
func testErrors() map[string]error {
	return map[string]error{
		"config":  plugin.Configf("key tenant is required"),
		"refused": fullOAuthError(),
		"interaction": fmt.Errorf("refresh token expired: %w: %w", plugin.ErrInteractionRequired,
			&plugin.OAuthError{Code: "invalid_grant", StatusCode: 400, TraceID: "t"}),
		"unavailable": &plugin.OAuthError{Code: "temporarily_unavailable", StatusCode: 503, RetryAfter: 7 * time.Second},
		"internal":    errors.New("provider bug"),
		"deadline":    fmt.Errorf("token endpoint: %w", context.DeadlineExceeded),
	}
}

func fullOAuthError() *plugin.OAuthError {
	return &plugin.OAuthError{
		Code:          "invalid_client",
		Description:   "AADSTS7000215: Invalid client secret provided.",
		URI:           "https://login.microsoftonline.com/error?code=7000215",
		ErrorCodes:    []int64{7000215, 50011},
		TraceID:       "trace-0d9b",
		CorrelationID: "corr-8c1e",
		Claims:        `{"access_token":{"acrs":{"essential":true,"value":"c1"}}}`,
		StatusCode:    401,
		Host:          "login.microsoftonline.com",
		RetryAfter:    90 * time.Second,
	}
}

func failProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	err, ok := testErrors()[req.Config["error"]]
	if !ok {
		return nil, fmt.Errorf("fail: unknown error %q", req.Config["error"])
	}
	return nil, err
}

func interactProvider(ctx context.Context, req *plugin.Request) (*plugin.Token, error) {
	err := req.Interaction.Notify(ctx, plugin.Notice{
		Message: "To sign in, use a web browser", VerificationURI: "https://microsoft.com/devicelogin",
		UserCode: "ABCD-EFGH", ExpiresAt: testExpires,
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

// envProvider reports the names in its environment and, as the token's
// Account, the value of the variable named by config "show".
func envProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	var names []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		names = append(names, name)
	}
	sort.Strings(names)
	b, err := json.Marshal(names)
	if err != nil {
		return nil, err
	}
	return &plugin.Token{AccessToken: plugin.NewSecret(string(b)), Account: os.Getenv(req.Config["show"])}, nil
}

// crashOnceProvider exits unless the file named by config "marker" exists,
// which it creates first: the first call kills the plugin, later ones
// (from a new plugin process) succeed.
func crashOnceProvider(_ context.Context, req *plugin.Request) (*plugin.Token, error) {
	marker := req.Config["marker"]
	if _, err := os.Stat(marker); err != nil {
		if err := os.WriteFile(marker, nil, 0o600); err != nil {
			return nil, err
		}
		os.Exit(3)
	}
	return &plugin.Token{AccessToken: plugin.NewSecret("survived")}, nil
}

func exitProvider(context.Context, *plugin.Request) (*plugin.Token, error) {
	os.Exit(3)
	return nil, nil
}

func slowProvider(ctx context.Context, _ *plugin.Request) (*plugin.Token, error) {
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-time.After(20 * time.Second):
		return nil, errors.New("the request was never cancelled")
	}
}

func stdinProvider(context.Context, *plugin.Request) (*plugin.Token, error) {
	var r stdinReport
	if st, err := os.Stdin.Stat(); err == nil {
		if null, err := os.Stat(os.DevNull); err == nil {
			r.DevNull = os.SameFile(st, null)
		}
	}
	type result struct {
		n   int
		err error
	}
	done := make(chan result, 1)
	go func() {
		n, err := io.Copy(io.Discard, os.Stdin)
		if err == nil {
			err = io.EOF // io.Copy reports a clean EOF as nil
		}
		done <- result{int(n), err}
	}()
	select {
	case res := <-done:
		r.Bytes, r.Err = res.n, res.err.Error()
	case <-time.After(2 * time.Second):
		r.Err = "still blocked after 2s"
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	return &plugin.Token{AccessToken: plugin.NewSecret(string(b))}, nil
}

// hostModeEnv selects a helper host mode when the test binary starts
// itself as a host (see hostMode).
const hostModeEnv = "KEYFOB_HOST_TEST_MODE"

// hostMode runs the test binary as a host that launches the test binary as
// its plugin. Modes:
//
//	stdin: ask the stdin provider, print its report and, on a second line,
//	       whether this host's own stdin is a pipe; then exit.
//	sleep: print the plugin's pid and sleep until killed.
func hostMode(mode string) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	ctx := context.Background()
	p, err := Launch(ctx, Options{Path: exe, Env: []string{quickExit}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer p.Close()
	switch mode {
	case "stdin":
		st, err := os.Stdin.Stat()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		tok, err := p.GetToken(ctx, &Request{Provider: "stdin"})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(tok.AccessToken.Reveal())
		fmt.Println(st.Mode()&os.ModeNamedPipe != 0)
		return 0
	case "sleep":
		fmt.Println(p.client.ID())
		time.Sleep(30 * time.Second)
		return 0
	}
	fmt.Fprintf(os.Stderr, "unknown %s %q\n", hostModeEnv, mode)
	return 1
}
