package host

import (
	"context"
	"slices"
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
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := p.GetToken(ctx, req); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	reportPercentiles(b, lat)
}

// reportPercentiles adds p50 and p99 latency metrics (µs).
func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
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
	var lat []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := ts.Token(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds()), "p99-ns")
}
