package main

import (
	"encoding/base64"
	"encoding/json"
	"os"
	"testing"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
)

// The test binary doubles as the plugin: launched by a go-plugin host it
// serves what main serves, so TestLaunch checks the real wiring.
func TestMain(m *testing.M) {
	if plugin.IsPluginLaunch(os.Getenv) {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestLaunch launches the plugin as keyfob would and asks it for a token.
func TestLaunch(t *testing.T) {
	t.Parallel()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	p, err := host.Launch(t.Context(), host.Options{Path: exe, Env: []string{"GORACE=atexit_sleep_ms=0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	infos, v, err := p.ListProviders(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) != 1 || infos[0].Name != Name || v != version || p.ProtocolVersion() != plugin.ProtocolVersion {
		t.Errorf("ListProviders = %+v, %q (protocol %d)", infos, v, p.ProtocolVersion())
	}
	f := newFakeGitHub(t)
	tok, err := p.GetToken(t.Context(), &host.Request{Provider: Name, Config: config(f)})
	if err != nil {
		t.Fatalf("GetToken: %v", err)
	}
	if tok.AccessToken.Reveal() != "ghs_fake1" {
		t.Errorf("token = %q, want ghs_fake1", tok.AccessToken.Reveal())
	}
	_, err = p.GetToken(t.Context(), &host.Request{Provider: Name, Config: config(f, keyInstallationID, "1")})
	if plugin.KindOf(err) != plugin.KindRefused {
		t.Errorf("GetToken for an unknown installation = %v, want a refusal across the wire", err)
	}
}

// decodeSegment decodes one base64url JWT segment into v.
func decodeSegment(seg string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}
