package host

import (
	"context"
	"testing"

	goplugin "github.com/hashicorp/go-plugin"
	"github.com/keyfob/keyfob/plugin"
)

// serveV2Env makes the test binary a plugin that serves protocol versions
// 1 and 2, as a plugin built after a keyfob.v2 would.
const serveV2Env = "KEYFOB_TEST_SERVE_V2"

// v2Plugin stands in for a future keyfob.v2 plugin set: the wire is v1's,
// the version number is what matters here.
type v2Plugin struct{ plugin.GRPCPlugin }

// serveV1AndV2 serves the test registry under protocol versions 1 and 2.
func serveV1AndV2() {
	reg := testRegistry()
	goplugin.Serve(&goplugin.ServeConfig{
		HandshakeConfig: plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{
			1: {plugin.PluginKey: &plugin.GRPCPlugin{Registry: reg, Version: testPluginVersion}},
			2: {plugin.PluginKey: &v2Plugin{plugin.GRPCPlugin{Registry: reg, Version: "v2"}}},
		},
		GRPCServer: goplugin.DefaultGRPCServer,
	})
}

// TestVersionNegotiation shows that hosts and plugins agree on the newest
// protocol version both speak (go-plugin VersionedPlugins), so a
// keyfob.v2 can be added beside keyfob.v1 without breaking either side.
func TestVersionNegotiation(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		hostV2, pluginV2 bool
		want             int
		wantVersion      string
	}{
		"v1 host, v1 plugin":    {want: 1, wantVersion: testPluginVersion},
		"v1+v2 host, v1 plugin": {hostV2: true, want: 1, wantVersion: testPluginVersion},
		"v1 host, v1+v2 plugin": {pluginV2: true, want: 1, wantVersion: testPluginVersion},
		"v1+v2 host and plugin": {hostV2: true, pluginV2: true, want: 2, wantVersion: "v2"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts := Options{Path: testExe(t), Env: []string{quickExit}}
			if tc.pluginV2 {
				opts.Env = append(opts.Env, serveV2Env+"=1")
			}
			cfg := clientConfig(opts)
			if tc.hostV2 {
				cfg.VersionedPlugins[2] = goplugin.PluginSet{plugin.PluginKey: &v2Plugin{}}
			}
			client := goplugin.NewClient(cfg)
			defer client.Kill()
			p, err := connect(client)
			if err != nil {
				t.Fatalf("connect: %v", err)
			}
			_, version, err := p.ListProviders(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if p.ProtocolVersion() != tc.want || version != tc.wantVersion {
				t.Errorf("negotiated protocol %d serving %q, want %d serving %q", p.ProtocolVersion(), version, tc.want, tc.wantVersion)
			}
		})
	}
}
