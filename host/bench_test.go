package host

import (
	"context"
	"testing"
	"time"
)

// BenchmarkLaunchGetTokenClose measures what a one-shot host pays per
// token: start the plugin, ask once, stop it.
func BenchmarkLaunchGetTokenClose(b *testing.B) {
	for mode, mtls := range map[string]bool{"AutoMTLS=false": false, "AutoMTLS=true": true} {
		b.Run(mode, func(b *testing.B) {
			opts := Options{Path: testExe(b), AutoMTLS: mtls, Env: []string{quickExit}}
			ctx := context.Background()
			for b.Loop() {
				p, err := Launch(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := p.GetToken(ctx, &Request{Provider: "echo"}); err != nil {
					b.Fatal(err)
				}
				_ = p.Close()
			}
		})
	}
}

// BenchmarkGetTokenLivePlugin measures one GetToken on a running plugin.
func BenchmarkGetTokenLivePlugin(b *testing.B) {
	p := launchTest(b, Options{})
	ctx := context.Background()
	req := &Request{Provider: "echo", Config: map[string]string{"client_id": "app"}, Scopes: []string{"s"}}
	for b.Loop() {
		if _, err := p.GetToken(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLaunch measures starting the plugin process and the go-plugin
// handshake (to a dispensed client), without the RPC; Close is not timed.
func BenchmarkLaunch(b *testing.B) {
	for mode, mtls := range map[string]bool{"AutoMTLS=false": false, "AutoMTLS=true": true} {
		b.Run(mode, func(b *testing.B) {
			opts := Options{Path: testExe(b), AutoMTLS: mtls, Env: []string{quickExit}}
			ctx := context.Background()
			for b.Loop() {
				p, err := Launch(ctx, opts)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				_ = p.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkTokenSourceCached measures a Go host's cached token: the
// TokenSource answering from memory, no RPC.
func BenchmarkTokenSourceCached(b *testing.B) {
	p := launchTest(b, Options{})
	ts := p.TokenSource(context.Background(), Request{Provider: "echo", Config: map[string]string{"client_id": "app"}}, time.Second)
	if _, err := ts.Token(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
	}
}
