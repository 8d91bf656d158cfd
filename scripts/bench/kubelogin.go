package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// kubeloginVersion is the int128/kubelogin release compared against.
const kubeloginVersion = "v1.36.3"

// buildKubelogin builds int128/kubelogin in a scratch module under dir
// (go install of a module with replace directives is refused) and returns
// its path, or why it could not.
func buildKubelogin(dir string) (string, error) {
	src := filepath.Join(dir, "kubelogin-src")
	if err := os.MkdirAll(src, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "kubelogin")
	for _, args := range [][]string{
		{"mod", "init", "scratch"},
		{"get", "github.com/int128/kubelogin@" + kubeloginVersion},
		{"build", "-trimpath", "-o", bin, "github.com/int128/kubelogin"},
	} {
		cmd := exec.Command("go", args...)
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("go %s: %v: %s", strings.Join(args, " "), err, lastLine(out))
		}
	}
	return bin, nil
}

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// coldRun is one command of the paired cold-miss comparison; args and
// env get a fresh, empty cache directory for every run.
type coldRun struct {
	name string
	bin  string
	args func(cache string) []string
	env  func(cache string) []string
	// asks is true for a command that must make one token request.
	asks bool
}

// coldVsKubelogin is figure (h): cold keyfob token (an empty cache every
// run), in the engine, without the front and with
// KEYFOB_PLUGIN_MODE=process, with the engine's bare start-up, against
// int128/kubelogin's cold get-token for the same client_credentials
// token from the same loopback server, interleaved with hello world.
func (w *world) coldVsKubelogin(n int) error {
	fmt.Println("## (h) Cold token against int128/kubelogin " + kubeloginVersion)
	fmt.Println()
	kubelogin := w.kubelogin
	if kubelogin == "" {
		bin, err := buildKubelogin(w.dir)
		if err != nil {
			fmt.Printf("Skipped: int128/kubelogin could not be built here (%v).\n\n", err)
			return nil
		}
		kubelogin = bin
	}
	runs := w.coldRuns(kubelogin)
	times, err := w.interleaveCold(runs, min(n, 60))
	if err != nil {
		return err
	}
	w.printCold(runs, times)
	return nil
}

// coldRuns are the commands figure (h) compares.
func (w *world) coldRuns(kubelogin string) []coldRun {
	none := func(string) []string { return nil }
	keyfob := func(cache string) []string { return []string{"token", "-p", "bench"} }
	return []coldRun{
		{"hello world (Go)", w.bins.hello, none, none, false},
		{"keyfob-engine version (the engine's start-up)", w.bins.engine, func(string) []string { return []string{"version"} }, w.env, false},
		{"keyfob token, cold (providers in the engine)", w.bins.keyfob, keyfob, w.env, true},
		{"keyfob-engine token, cold (the same without the front)", w.bins.engine, keyfob, w.env, true},
		{"keyfob token, cold, KEYFOB_PLUGIN_MODE=process (the plugin launched)", w.bins.keyfob, keyfob,
			func(cache string) []string { return append(w.env(cache), "KEYFOB_PLUGIN_MODE=process") }, true},
		// kubelogin takes its client secret only as a flag: this one is a
		// random value of this run's loopback server, never a real secret.
		{"int128/kubelogin get-token, cold", kubelogin, func(cache string) []string {
			return []string{"get-token", "--oidc-issuer-url", w.srv.URL, "--oidc-client-id", "bench",
				"--oidc-client-secret", w.srv.secret, "--grant-type=client-credentials", "--oidc-use-access-token",
				"--token-cache-dir", cache}
		}, func(string) []string { return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + w.dir} }, true},
	}
}

// interleaveCold runs each command n times, in turn, each run with a new
// cache directory, and checks every cold run asked the server once.
func (w *world) interleaveCold(runs []coldRun, n int) ([][]time.Duration, error) {
	times := make([][]time.Duration, len(runs))
	for i := range n {
		for j, r := range runs {
			cache := filepath.Join(w.dir, fmt.Sprintf("cold-%d-%d", j, i))
			before := w.srv.requests.Load()
			d, _, err := sample(r.bin, r.args(cache), r.env(cache))
			if err != nil {
				return nil, err
			}
			if got := w.srv.requests.Load() - before; r.asks && got != 1 {
				return nil, fmt.Errorf("%s made %d token requests, want 1", r.name, got)
			}
			times[j] = append(times[j], d)
		}
	}
	return times, nil
}

func (w *world) printCold(runs []coldRun, times [][]time.Duration) {
	fmt.Printf("%d interleaved runs each, an empty cache every run. Load: %s.\n\n", len(times[0]), loadavg())
	fmt.Println("| command | median | p90 | ratio to kubelogin (medians) |")
	fmt.Println("|---|---|---|---|")
	base := median(times[len(times)-1])
	for i, r := range runs {
		m := median(times[i])
		fmt.Printf("| %s | %s | %s | %.2f× |\n", r.name, round(m), round(percentile(times[i], 0.9)), float64(m)/float64(base))
	}
	fmt.Println()
}
