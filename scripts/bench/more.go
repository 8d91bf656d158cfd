package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// manyProfiles is figure (g): a cache hit with a config of 10,000
// profiles against one of a single profile, interleaved with hello.
func (w *world) manyProfiles(n int) error {
	big := filepath.Join(w.dir, "config-10000.toml")
	if err := os.WriteFile(big, []byte(w.profileText()+filler(9999)), 0o600); err != nil {
		return err
	}
	one := w.env(filepath.Join(w.dir, "cache-many"))
	many := append(w.env(filepath.Join(w.dir, "cache-many")), "KEYFOB_CONFIG="+big)
	args := []string{"token", "-p", "bench"}
	if _, _, err := sample(w.bins.keyfob, args, one); err != nil {
		return err
	}
	// A configuration file changed in the last 2 s gets no index snapshot
	// (internal/config LoadIndexed); let it settle, then let one call
	// write the snapshot, as it is for anybody whose file is not new.
	time.Sleep(2500 * time.Millisecond)
	if _, _, err := sample(w.bins.keyfob, args, many); err != nil {
		return err
	}
	runs := min(n, 30)
	before := w.srv.requests.Load()
	var hello, small, large []time.Duration
	for range runs {
		for _, r := range []struct {
			bin string
			env []string
			out *[]time.Duration
		}{{w.bins.hello, one, &hello}, {w.bins.keyfob, one, &small}, {w.bins.keyfob, many, &large}} {
			d, _, err := sample(r.bin, args, r.env)
			if err != nil {
				return err
			}
			*r.out = append(*r.out, d)
		}
	}
	if err := w.noRequestsSince(before, "(g)"); err != nil {
		return err
	}
	fmt.Println("## (g) Cached keyfob token with a config of 1 and of 10,000 profiles")
	fmt.Println()
	fmt.Println("| config | median | p90 | ratio to hello (medians) |")
	fmt.Println("|---|---|---|---|")
	base := median(hello)
	for _, r := range []struct {
		name string
		ds   []time.Duration
	}{{"hello world (Go)", hello}, {"1 profile", small}, {"10,000 profiles", large}} {
		fmt.Printf("| %s | %s | %s | %.2f× |\n", r.name, round(median(r.ds)), round(percentile(r.ds, 0.9)),
			float64(median(r.ds))/float64(base))
	}
	fmt.Println()
	return nil
}

// filler is n more client_credentials profiles, each with its own host.
func filler(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "\n[profiles.p%d]\nprovider = \"client_credentials\"\ntoken_url = \"https://idp%d.example/token\"\n"+
			"client_id = \"c%d\"\nclient_secret = \"env:NOPE\"\nscopes = [\"api\"]\nhosts = [\"h%d.example\"]\n", i, i, i, i)
	}
	return b.String()
}

// sizes is figure (f): the binaries as built, and stripped as a release
// strips them.
func (w *world) sizes(int) error {
	stripped := filepath.Join(w.dir, "stripped") + string(filepath.Separator)
	if err := goBuild("", stripped, "./cmd/...", "-ldflags=-s -w"); err != nil {
		return err
	}
	fmt.Println("## (f) Binary sizes (CGO_ENABLED=0, -trimpath)")
	fmt.Println()
	fmt.Println("| binary | size | stripped (-ldflags='-s -w') |")
	fmt.Println("|---|---|---|")
	for _, b := range []string{w.bins.keyfob, w.bins.engine} {
		fmt.Printf("| %s | %s | %s |\n", filepath.Base(b), size(b), size(filepath.Join(stripped, filepath.Base(b))))
	}
	fmt.Printf("| %s | %s | — |\n\n", filepath.Base(w.bins.hello), size(w.bins.hello))
	return nil
}

// size is a file's size in MB, or "?" when it cannot be read.
func size(path string) string {
	st, err := os.Stat(path)
	if err != nil {
		return "?"
	}
	return fmt.Sprintf("%.1f MB", float64(st.Size())/1e6)
}

// machine names the CPU count, OS, architecture and Go version.
func machine() string {
	return fmt.Sprintf("%d cores, %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
}

// loadavg is /proc/loadavg's 1, 5 and 15 minute load, or "unknown".
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return fmt.Sprintf("%s / %s / %s (1 / 5 / 15 min)", f[0], f[1], f[2])
}
