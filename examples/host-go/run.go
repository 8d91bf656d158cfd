package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/plugin"
)

// options are the command line's settings.
type options struct {
	keyfob, sha256, provider, api string
	cacheDir, profile             string
	config                        map[string]string
	scopes                        []string
	every, minValidity            time.Duration
	count                         int
}

// run parses args, launches keyfob and calls the API until ctx ends (or
// -count calls are made).
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := hclog.New(&hclog.LoggerOptions{Name: "host-go", Output: stderr, Level: plugin.ParseLevel(os.Getenv("KEYFOB_LOG"))})
	sup := host.NewSupervisor(host.Options{Path: o.keyfob, SHA256: o.sha256, Logger: logger})
	defer sup.Close()
	// The disk cache the CLI uses: tokens other runs and keyfob itself
	// stored are served from it, and its references (env:, file:) are
	// resolved there, not here.
	shared := host.NewCache(sup, host.CacheOptions{Dir: o.cacheDir, Profile: o.profile, Messages: stderr, Logger: logger})
	keeper := host.NewKeeper(shared, host.Request{Provider: o.provider, Config: o.config, Scopes: o.scopes},
		host.KeeperOptions{MinValidity: o.minValidity, Logger: logger})
	defer keeper.Close()
	client := keeper.HTTPClient(ctx)
	tick := time.NewTicker(o.every)
	defer tick.Stop()
	for n := 1; o.count == 0 || n <= o.count; n++ {
		fmt.Fprintln(stdout, callAPI(ctx, client, o.api, n, keeper, sup))
		if o.count != 0 && n == o.count {
			break
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
	return nil
}

// callAPI makes one call and describes it in one line. The token is the
// Keeper's (from memory unless it had to be renewed); only its
// fingerprint is shown.
func callAPI(ctx context.Context, client *http.Client, api string, n int, k *host.Keeper, sup *host.Supervisor) string {
	status, err := get(ctx, client, api)
	if err != nil {
		return fmt.Sprintf("call %d: error: %v (plugin pid %d, restarts %d)", n, err, sup.Pid(), sup.Restarts())
	}
	tok, err := k.Token(ctx)
	if err != nil {
		return fmt.Sprintf("call %d: %s, then: %v", n, status, err)
	}
	return fmt.Sprintf("call %d: %s (token %s, expires %s, plugin pid %d, restarts %d)",
		n, status, tok.AccessToken.Fingerprint(), tok.ExpiresAt.Format(time.TimeOnly), sup.Pid(), sup.Restarts())
}

// get sends GET api and returns the response status.
func get(ctx context.Context, client *http.Client, api string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, api, nil)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.Status, nil
}

// parseFlags reads the command line.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{config: map[string]string{}}
	fs := flag.NewFlagSet("host-go", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.keyfob, "keyfob", "", "keyfob executable (default: keyfob on $PATH)")
	fs.StringVar(&o.sha256, "sha256", "", "expected SHA-256 of the keyfob executable")
	fs.StringVar(&o.provider, "provider", "", "grant provider, e.g. client_credentials (required)")
	fs.StringVar(&o.api, "api", "", "URL to GET with the token (required)")
	fs.StringVar(&o.cacheDir, "cache", "", "token cache directory, shared with keyfob's CLI (default: the CLI's, $KEYFOB_CACHE_DIR or ~/.cache/keyfob)")
	fs.StringVar(&o.profile, "profile", "host-go", "profile name the cached tokens are listed under (keyfob cache list)")
	fs.Func("config", "profile key as KEY=VALUE (repeatable); secrets as env:NAME or file:PATH", func(s string) error {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return errors.New("want KEY=VALUE")
		}
		o.config[k] = v
		return nil
	})
	fs.Func("scope", "scope to request (repeatable)", func(s string) error { o.scopes = append(o.scopes, s); return nil })
	fs.DurationVar(&o.every, "every", 30*time.Second, "time between calls")
	fs.IntVar(&o.count, "count", 0, "stop after this many calls (0: run until interrupted)")
	fs.DurationVar(&o.minValidity, "min-validity", time.Minute, "least remaining lifetime of a token used")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if o.provider == "" || o.api == "" {
		return nil, errors.New("-provider and -api are required")
	}
	if o.every <= 0 {
		return nil, errors.New("-every must be positive")
	}
	if o.cacheDir == "" {
		dir, err := cache.Dir(os.Getenv)
		if err != nil {
			return nil, err
		}
		o.cacheDir = dir
	}
	if o.keyfob == "" {
		p, err := exec.LookPath("keyfob")
		if err != nil {
			return nil, fmt.Errorf("keyfob is not on $PATH (go install ./cmd/..., or pass -keyfob): %w", err)
		}
		o.keyfob = p
	}
	return o, nil
}
