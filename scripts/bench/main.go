// Command bench measures keyfob as released (CGO_ENABLED=0, -trimpath) and
// prints the figures of BENCHMARKS.md:
//
//	go run ./scripts/bench [-n 200]
//
// (a) whole-process cached keyfob token against a Go hello-world process,
// as a ratio of medians, interleaved in one run; (b) a cache miss through
// the plugin boundary; (d) peak RSS of a cached call; (e) 32 parallel cold
// invocations and the token requests they cost; (f) binary sizes; (g) a
// cache hit with 10,000 profiles; (h) cold keyfob token against
// int128/kubelogin's cold get-token (built here in a scratch module). The
// authorization server is a small loopback one inside this program.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 200, "runs per measured command")
	only := flag.String("only", "", "run only these figures, e.g. \"h\" or \"a,h\" (default: all)")
	kubelogin := flag.String("kubelogin", "", "int128/kubelogin "+kubeloginVersion+" executable for (h) (default: build it)")
	flag.Parse()
	if err := run(*n, *only, *kubelogin); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(n int, only, kubelogin string) error {
	dir, err := os.MkdirTemp("", "keyfob-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bins, err := build(dir)
	if err != nil {
		return err
	}
	srv := newServer()
	defer srv.Close()
	w := newWorld(dir, bins, srv)
	w.kubelogin = kubelogin
	if err := w.writeConfig(); err != nil {
		return err
	}
	fmt.Printf("# keyfob benchmarks (%s, %d runs each)\n\n", time.Now().UTC().Format("2006-01-02"), n)
	fmt.Printf("Machine: %s. Load before the run: %s.\n\n", machine(), loadavg())
	steps := []struct {
		figure string
		run    func(int) error
	}{{"a", w.cachedVsHello}, {"b", w.cacheMiss}, {"e", w.parallelCold}, {"g", w.manyProfiles}, {"f", w.sizes}, {"h", w.coldVsKubelogin}}
	for _, step := range steps {
		if only != "" && !slices.Contains(strings.Split(only, ","), step.figure) {
			continue
		}
		if err := step.run(n); err != nil {
			return err
		}
		fmt.Printf("(load after this step: %s)\n\n", loadavg())
	}
	return nil
}

// world is the scratch setup: binaries, config, cache and the server.
type world struct {
	dir  string
	bins binaries
	srv  *server
	cfg  string
	// hello is the hello-world median of (a), the baseline of later ratios.
	hello time.Duration
	// kubelogin is a given int128/kubelogin executable for (h), or "".
	kubelogin string
}

func newWorld(dir string, bins binaries, srv *server) *world {
	return &world{dir: dir, bins: bins, srv: srv, cfg: filepath.Join(dir, "config.toml")}
}

func (w *world) writeConfig() error {
	return os.WriteFile(w.cfg, []byte(w.profileText()), 0o600)
}

// profileText is the measured profile's TOML.
func (w *world) profileText() string {
	return fmt.Sprintf(`[profiles.bench]
provider = "client_credentials"
token_url = "%s/token"
client_id = "bench"
client_secret = "env:BENCH_SECRET"
scopes = ["api"]
hosts = ["git.bench.example"]
`, w.srv.URL)
}

// env is the environment of every keyfob run; cacheDir separates runs
// that must not share a cache.
func (w *world) env(cacheDir string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir, "KEYFOB_CONFIG=" + w.cfg,
		"KEYFOB_CACHE_DIR=" + cacheDir, "BENCH_SECRET=" + w.srv.secret,
	}
}
