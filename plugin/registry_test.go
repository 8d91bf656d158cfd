package plugin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
)

func TestRegistryProviders(t *testing.T) {
	t.Parallel()
	reg := wireRegistry()
	if diff := cmp.Diff(wireInfos(), reg.Providers()); diff != "" {
		t.Errorf("Providers (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"echo", "fail", "interact", "minimal"}, reg.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
	var empty plugin.Registry
	if diff := cmp.Diff([]plugin.ProviderInfo{}, empty.Providers()); diff != "" {
		t.Errorf("zero Registry Providers (-want +got):\n%s", diff)
	}
	if _, ok := empty.Lookup("echo"); ok {
		t.Error("zero Registry Lookup found a provider")
	}
}

func TestRegistryGetToken(t *testing.T) {
	t.Parallel()
	var reg plugin.Registry
	reg.Register(plugin.ProviderInfo{Name: "ok"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return &plugin.Token{AccessToken: plugin.NewSecret("at")}, nil
	}))
	reg.Register(plugin.ProviderInfo{Name: "nothing"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return nil, nil
	}))
	reg.Register(plugin.ProviderInfo{Name: "refuses"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return nil, &plugin.OAuthError{Code: "invalid_client"}
	}))
	tests := map[string]struct {
		provider  string
		wantToken string
		wantErr   string
		wantKind  plugin.Kind
	}{
		"ok":         {provider: "ok", wantToken: "at"},
		"unknown":    {provider: "missing", wantErr: `unknown provider "missing" (this plugin has: [nothing ok refuses])`, wantKind: plugin.KindConfig},
		"empty name": {provider: "", wantErr: `unknown provider "" (this plugin has: [nothing ok refuses])`, wantKind: plugin.KindConfig},
		"error":      {provider: "refuses", wantErr: "invalid_client", wantKind: plugin.KindRefused},
		"neither":    {provider: "nothing", wantErr: `provider "nothing" returned neither a token nor an error`, wantKind: plugin.KindInternal},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, err := reg.GetToken(t.Context(), tc.provider, &plugin.Request{})
			checkErr(t, err, tc.wantErr, tc.wantKind)
			if (tok == nil) != (tc.wantToken == "") {
				t.Fatalf("token = %v, want %q", tok, tc.wantToken)
			}
			if tok != nil && tok.AccessToken.Reveal() != tc.wantToken {
				t.Errorf("token = %q, want %q", tok.AccessToken.Reveal(), tc.wantToken)
			}
		})
	}
}

// TestWireNilToken checks that a provider breaking its contract gets an
// error back instead of crashing the plugin's gRPC server.
func TestWireNilToken(t *testing.T) {
	t.Parallel()
	var reg plugin.Registry
	reg.Register(plugin.ProviderInfo{Name: "nothing"}, plugin.ProviderFunc(func(context.Context, *plugin.Request) (*plugin.Token, error) {
		return nil, nil
	}))
	conn := dialWire(t, true, &reg)
	_, err := conn.Client.GetToken(t.Context(), &keyfobv1.GetTokenRequest{Provider: "nothing"})
	err = plugin.FromStatus(err)
	checkErr(t, err, `provider "nothing" returned neither a token nor an error`, plugin.KindInternal)
}

func TestRegistryRegisterTwicePanics(t *testing.T) {
	t.Parallel()
	var reg plugin.Registry
	reg.Register(plugin.ProviderInfo{Name: "dup"}, plugin.ProviderFunc(echoProvider))
	defer func() {
		got := fmt.Sprint(recover())
		if diff := cmp.Diff(`keyfob: provider "dup" registered twice`, got); diff != "" {
			t.Errorf("panic (-want +got):\n%s", diff)
		}
	}()
	reg.Register(plugin.ProviderInfo{Name: "dup"}, plugin.ProviderFunc(echoProvider))
}

func TestHandshake(t *testing.T) {
	t.Parallel()
	type hs struct {
		ProtocolVersion uint
		Key, Value      string
		PluginKey       string
	}
	want := hs{ProtocolVersion: 1, Key: "KEYFOB_PLUGIN", Value: "7d1c0e5a-keyfob-token-plugin", PluginKey: "token"}
	got := hs{plugin.Handshake.ProtocolVersion, plugin.Handshake.MagicCookieKey, plugin.Handshake.MagicCookieValue, plugin.PluginKey}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("handshake (CONTRACT §8) (-want +got):\n%s", diff)
	}
}

func TestIsPluginLaunch(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env  map[string]string
		want bool
	}{
		"cookie":       {env: map[string]string{"KEYFOB_PLUGIN": "7d1c0e5a-keyfob-token-plugin"}, want: true},
		"no cookie":    {env: map[string]string{}, want: false},
		"wrong cookie": {env: map[string]string{"KEYFOB_PLUGIN": "1"}, want: false},
		"other key":    {env: map[string]string{"OTHER": "7d1c0e5a-keyfob-token-plugin"}, want: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := plugin.IsPluginLaunch(func(k string) string { return tc.env[k] }); got != tc.want {
				t.Errorf("IsPluginLaunch = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParseLevel(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want hclog.Level
	}{
		"empty":   {in: "", want: hclog.Warn},
		"off":     {in: "off", want: hclog.Off},
		"error":   {in: "error", want: hclog.Error},
		"warn":    {in: "warn", want: hclog.Warn},
		"info":    {in: "info", want: hclog.Info},
		"debug":   {in: "debug", want: hclog.Debug},
		"trace":   {in: "trace", want: hclog.Trace},
		"upper":   {in: " DEBUG\n", want: hclog.Debug},
		"unknown": {in: "verbose", want: hclog.Warn},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := plugin.ParseLevel(tc.in); got != tc.want {
				t.Errorf("ParseLevel(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestNewPluginLogger(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		level    string
		wantMsgs []string
	}{
		"default warn": {level: "", wantMsgs: []string{"w", "e"}},
		"debug":        {level: "debug", wantMsgs: []string{"d", "i", "w", "e"}},
		"off":          {level: "off", wantMsgs: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			l := plugin.NewPluginLogger(&buf, tc.level)
			l.Trace("t")
			l.Debug("d")
			l.Info("i")
			l.Warn("w")
			l.Error("e")
			var msgs []string
			for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				if line == "" {
					continue
				}
				var m map[string]any
				if err := json.Unmarshal([]byte(line), &m); err != nil {
					t.Fatalf("log line %q is not JSON: %v", line, err)
				}
				msgs = append(msgs, fmt.Sprint(m["@message"]))
			}
			if diff := cmp.Diff(tc.wantMsgs, msgs); diff != "" {
				t.Errorf("logged (-want +got):\n%s", diff)
			}
		})
	}
}

func TestInteractionErrorsAreSentinels(t *testing.T) {
	t.Parallel()
	// A provider that wraps an interaction failure keeps its kind.
	err := fmt.Errorf("device code: %w", plugin.NoInteraction{}.Notify(t.Context(), plugin.Notice{}))
	if !errors.Is(err, plugin.ErrInteractionRequired) || plugin.KindOf(err) != plugin.KindInteraction {
		t.Errorf("wrapped NoInteraction error %v lost its kind (%v)", err, plugin.KindOf(err))
	}
}
