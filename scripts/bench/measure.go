package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sample runs one process and returns its wall time.
func sample(bin string, args, env []string) (time.Duration, int64, error) {
	return sampleIn(bin, args, env, "")
}

// sampleIn is sample with stdin (a host protocol's request).
func sampleIn(bin string, args, env []string, stdin string) (time.Duration, int64, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return d, 0, fmt.Errorf("%s %v: %v: %s", filepath.Base(bin), args, err, out)
	}
	return d, 0, nil
}

// answers checks that a host protocol call answers with the cached token
// (not with its "nothing here", which would be measured as fast too).
func answers(bin string, args, env []string, stdin string) error {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.Output()
	if err != nil || !(strings.Contains(string(out), "password=") || strings.Contains(string(out), `"token":"`)) {
		return fmt.Errorf("%s %v answered %q (%v), want the cached token", filepath.Base(bin), args, out, err)
	}
	return nil
}

// peakRSS runs one process under /usr/bin/time and returns its peak RSS
// in KiB. (Measuring through this program's own wait4 would count the
// memory of this process, which the child shares until it execs.)
func peakRSS(bin string, args, env []string, stdin string) (int64, error) {
	cmd := exec.Command("/usr/bin/time", append([]string{"-f", "%M", bin}, args...)...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("/usr/bin/time %s: %v: %s", filepath.Base(bin), err, stderr.String())
	}
	lines := strings.Fields(stderr.String())
	if len(lines) == 0 {
		return 0, fmt.Errorf("/usr/bin/time printed nothing")
	}
	return strconv.ParseInt(lines[len(lines)-1], 10, 64)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(float64(len(s)-1)*p)]
}

// cachedVsHello is figure (a) and (d): interleaved runs of hello, cached
// keyfob token and the cached host protocol calls (kubectl's exec plugin,
// git's credential helper with its request on stdin).
func (w *world) cachedVsHello(n int) error {
	env := w.env(filepath.Join(w.dir, "cache-hit"))
	if _, _, err := sample(w.bins.keyfob, []string{"token", "-p", "bench"}, env); err != nil {
		return err
	}
	gitHelper := filepath.Join(filepath.Dir(w.bins.keyfob), "git-credential-keyfob")
	if err := os.Symlink("keyfob", gitHelper); err != nil && !os.IsExist(err) {
		return err
	}
	cmds := []struct {
		name  string
		bin   string
		args  []string
		stdin string
	}{
		{"hello world (Go)", w.bins.hello, nil, ""},
		{"keyfob token (cached)", w.bins.keyfob, []string{"token", "-p", "bench"}, ""},
		{"keyfob token -o json (cached)", w.bins.keyfob, []string{"token", "-p", "bench", "-o", "json"}, ""},
		{"keyfob kubectl (cached)", w.bins.keyfob, []string{"kubectl", "-p", "bench"}, ""},
		{"git-credential-keyfob get (cached, request on stdin)", gitHelper, []string{"get"}, "protocol=https\nhost=git.bench.example\n"},
	}
	for _, c := range cmds[3:] {
		if err := answers(c.bin, c.args, env, c.stdin); err != nil {
			return err
		}
	}
	times := make([][]time.Duration, len(cmds))
	rss := make([]int64, len(cmds))
	before := w.srv.requests.Load()
	for range n {
		for i, c := range cmds {
			d, _, err := sampleIn(c.bin, c.args, env, c.stdin)
			if err != nil {
				return err
			}
			times[i] = append(times[i], d)
		}
	}
	for i, c := range cmds {
		for range 5 {
			r, err := peakRSS(c.bin, c.args, env, c.stdin)
			if err != nil {
				return err
			}
			rss[i] = max(rss[i], r)
		}
	}
	if err := w.noRequestsSince(before, "(a)"); err != nil {
		return err
	}
	fmt.Println("## (a, d) Cached answers against a hello-world process")
	fmt.Println()
	fmt.Println("| command | median | p90 | ratio to hello (medians) | peak RSS |")
	fmt.Println("|---|---|---|---|---|")
	base := median(times[0])
	w.hello = base
	for i, c := range cmds {
		m := median(times[i])
		fmt.Printf("| %s | %s | %s | %.2f× | %.1f MB |\n", c.name, round(m), round(percentile(times[i], 0.9)),
			float64(m)/float64(base), float64(rss[i])/1024)
	}
	fmt.Println()
	return nil
}

// cacheMiss is figure (b): a whole cold call through the plugin boundary.
func (w *world) cacheMiss(n int) error {
	runs := min(n, 30)
	var ds []time.Duration
	before := w.srv.requests.Load()
	for i := range runs {
		env := w.env(filepath.Join(w.dir, fmt.Sprintf("cache-miss-%d", i)))
		d, _, err := sample(w.bins.keyfob, []string{"token", "-p", "bench"}, env)
		if err != nil {
			return err
		}
		ds = append(ds, d)
	}
	fmt.Println("## (b) Cache miss: front → engine → plugin launch → handshake → GetToken → token endpoint")
	fmt.Println()
	fmt.Printf("%d cold runs, each with an empty cache: median %s%s, p90 %s; %d token requests.\n\n",
		runs, round(median(ds)), w.ratioToHello(median(ds)), round(percentile(ds, 0.9)), w.srv.requests.Load()-before)
	return nil
}

// parallelCold is figure (e): 32 processes at once with an empty cache.
func (w *world) parallelCold(int) error {
	env := w.env(filepath.Join(w.dir, "cache-parallel"))
	before := w.srv.requests.Load()
	var wg sync.WaitGroup
	errs := make([]error, 32)
	start := time.Now()
	for i := range 32 {
		wg.Go(func() { _, _, errs[i] = sample(w.bins.keyfob, []string{"token", "-p", "bench"}, env) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	fmt.Println("## (e) 32 parallel cold invocations")
	fmt.Println()
	fmt.Printf("All 32 succeeded in %s; the server saw **%d** token request(s).\n\n", round(elapsed), w.srv.requests.Load()-before)
	return nil
}

// ratioToHello is " (N× the hello-world median of (a))", or "" when (a)
// did not run.
func (w *world) ratioToHello(d time.Duration) string {
	if w.hello == 0 {
		return ""
	}
	return fmt.Sprintf(" (%.1f× the hello-world median of (a))", float64(d)/float64(w.hello))
}

// noRequestsSince fails a figure of cached calls when the token endpoint
// was asked anything after before: its times would not be cache hits.
func (w *world) noRequestsSince(before int64, figure string) error {
	if n := w.srv.requests.Load() - before; n != 0 {
		return fmt.Errorf("%s measures cache hits, but the token endpoint was asked %d time(s) during it", figure, n)
	}
	return nil
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
