//go:build linux

package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// Files keyfob takes instructions or secrets from (docs/security.md,
// "Files others can change"): a config file or plugin that another user
// could change is refused before anything is sent or started; the config
// file and every file a secret or key names must be regular files of a
// bounded size, so /dev/zero or a FIFO fails at once with exit 2 instead
// of growing memory or hanging.

// oneLine fails unless stderr is exactly one line that contains each of
// want.
func oneLine(t *testing.T, res harness.Result, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(res.Stderr, "\n")
	if line == "" || strings.Contains(line, "\n") {
		t.Errorf("stderr is not one line:\n%s", res)
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr does not name %q:\n%s", w, res)
		}
	}
}

// TestConfigOthersCanChangeIsRefused: with a cached token for the profile,
// a config file others can write (or another user owns) is refused — by
// the front as by the engine — with exit 2, the file, its mode or owner
// and the fix, and the cached token is not printed.
func TestConfigOthersCanChangeIsRefused(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	c := z.BasicClient
	tests := map[string]struct {
		mode  os.FileMode
		chown bool
		want  []string
	}{
		"world-writable": {mode: 0o666, want: []string{"is writable by group and others (mode 0666); run chmod go-w "}},
		"group-writable": {mode: 0o620, want: []string{"is writable by its group (mode 0620); run chmod go-w "}},
		"another user's": {mode: 0o600, chown: true, want: []string{" is owned by uid ", "not by you or root"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			cfg := harness.WriteConfig(t, home, clientCredentialsProfile("zc", z.TokenURL, c, "openid"))
			opts := harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: env("KEYFOB_CONFIG", cfg, clientSecretVar, c.Secret)}
			checkSuccess(t, harness.Run(t, bin, opts), c.Secret)
			if err := os.Chmod(cfg, tc.mode); err != nil {
				t.Fatal(err)
			}
			shareGroup(t, cfg, tc.mode)
			if tc.chown {
				if err := os.Chown(cfg, os.Getuid()+4242, -1); err != nil {
					t.Skipf("cannot give the config to another user: %v", err)
				}
			}
			res := harness.Run(t, bin, opts)
			if res.ExitCode != 2 || res.Stdout != "" {
				t.Fatalf("want exit 2 and nothing on stdout:\n%s", res)
			}
			oneLine(t, res, append([]string{"config " + cfg}, tc.want...)...)
			checkNoLeaks(t, res, c.Secret)
		})
	}
}

// shareGroup gives path, of mode, a group that is nobody's private group
// when mode lets the group write (keyfob allows group write for the
// owner's own group, as Debian's OpenSSH does), or skips the test.
func shareGroup(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if mode&0o020 == 0 {
		return
	}
	if err := os.Chown(path, -1, 4242424); err != nil {
		t.Skipf("cannot give %s a group other users are in: %v", path, err)
	}
}

// TestConfigNotARegularFileIsRefused: KEYFOB_CONFIG naming /dev/zero, a
// FIFO or a file over the size limit fails at once with exit 2 naming it.
func TestConfigNotARegularFileIsRefused(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	dir := t.TempDir()
	big := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 9<<20); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct{ path, want string }{
		"/dev/zero": {"/dev/zero", "config /dev/zero: is not a regular file"},
		"a FIFO":    {mkfifo(t, dir, "fifo.toml"), "config " + filepath.Join(dir, "fifo.toml") + ": is not a regular file"},
		"9 MiB":     {big, "config " + big + ": larger than 8388608 bytes"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for _, args := range [][]string{{"token", "-p", "p"}, {"profiles"}} {
				res := harness.Run(t, bin, harness.RunOpts{Args: args, Env: env("KEYFOB_CONFIG", tc.path), Timeout: 20 * time.Second})
				if res.ExitCode != 2 || res.Stdout != "" {
					t.Fatalf("keyfob %s: want exit 2:\n%s", strings.Join(args, " "), res)
				}
				oneLine(t, res, tc.want)
			}
		})
	}
}

// mkfifo makes the FIFO dir/name.
func mkfifo(t *testing.T, dir, name string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}

// TestSecretAndKeyFilesBounded: a secret reference or ca_file naming
// /dev/zero, a FIFO or a 50 MB file exits 2 naming the key, well within
// --timeout, with keyfob's memory bounded.
func TestSecretAndKeyFilesBounded(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	c := z.BasicClient
	dir := t.TempDir()
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, 50<<20); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"/dev/zero": "/dev/zero", "a FIFO": mkfifo(t, dir, "fifo"), "50 MB": big}
	for fname, file := range files {
		for _, key := range []string{"client_secret", "ca_file", "client_certificate", "client_assertion_file"} {
			t.Run(key+" "+fname, func(t *testing.T) {
				t.Parallel()
				home := t.TempDir()
				profile := clientCredentialsProfile("zc", z.TokenURL, c, "openid")
				switch key {
				case "client_secret":
					profile = strings.Replace(profile, `"env:`+clientSecretVar+`"`, fmt.Sprintf("%q", "file:"+file), 1)
				case "client_certificate", "client_assertion_file":
					profile = strings.Replace(profile, `client_secret = "env:`+clientSecretVar+`"`, fmt.Sprintf("%s = %q", key, file), 1)
					profile = strings.Replace(profile, fmt.Sprintf("client_auth = %q\n", authMethod(c)), "", 1)
				default:
					profile += fmt.Sprintf("ca_file = %q\n", file)
				}
				cfg := harness.WriteConfig(t, home, profile)
				code, stderr, rss := runMeasured(t, bin, home, []string{"token", "-p", "zc", "--timeout", "10s"},
					"KEYFOB_CONFIG="+cfg, clientSecretVar+"="+c.Secret)
				if code != 2 || !strings.Contains(stderr, key) || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
					t.Errorf("exit %d, want 2 and one line naming %s:\n%s", code, key, stderr)
				}
				switch {
				case rss < 0:
					t.Log("peak memory not measured (no /usr/bin/time): the memory bound is not checked")
				case rss > 64<<10:
					t.Errorf("peak memory %d KiB, want it bounded (under 64 MiB)", rss)
				}
				t.Logf("exit %d, peak memory %d KiB: %s", code, rss, strings.TrimSpace(stderr))
			})
		}
	}
}

// runMeasured runs keyfob in home and returns its exit code, stderr and
// peak resident memory in KiB, measured by /usr/bin/time (a child's
// rusage counts the memory of this process, which it shares until it
// execs); -1 when /usr/bin/time is not installed. It fails the test after
// 30 s.
func runMeasured(t *testing.T, bin, home string, args []string, extra ...string) (int, string, int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	rssFile := filepath.Join(home, "rss")
	cmd := exec.CommandContext(ctx, bin, args...)
	if _, err := os.Stat("/usr/bin/time"); err == nil {
		cmd = exec.CommandContext(ctx, "/usr/bin/time", append([]string{"-f", "%M", "-o", rssFile, bin}, args...)...)
	}
	cmd.Env = append([]string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "KEYFOB_CACHE_DIR=" + filepath.Join(home, "cache")}, extra...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("keyfob %v ran past 30 s (%v): %s", args, time.Since(start), stderr.String())
	}
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("keyfob %v: %v", args, err)
	}
	rss := int64(-1)
	if b, err := os.ReadFile(rssFile); err == nil { // "Command exited with non-zero status 2" may come first
		fields := strings.Fields(string(b))
		rss, _ = strconv.ParseInt(fields[len(fields)-1], 10, 64)
	}
	return cmd.ProcessState.ExitCode(), stderr.String(), rss
}

// TestLiteralSecretWarnedOnce: a config others can read that holds a
// literal secret draws one warning per call — on a miss, where the front
// hands the call to the engine, as on a hit the front answers.
func TestLiteralSecretWarnedOnce(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	z := servers.StartZitadel(t)
	c := z.BasicClient
	home := t.TempDir()
	profile := strings.Replace(clientCredentialsProfile("zc", z.TokenURL, c, "openid"), `"env:`+clientSecretVar+`"`, fmt.Sprintf("%q", c.Secret), 1)
	cfg := harness.WriteConfig(t, home, profile)
	if err := os.Chmod(cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, call := range []string{"miss", "hit"} {
		res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "zc"}, Env: env("KEYFOB_CONFIG", cfg)})
		checkSuccess(t, res, c.Secret)
		if n := strings.Count(res.Stderr, "keyfob: warning: config "+cfg+" is readable by others"); n != 1 {
			t.Errorf("%s: %d warnings, want 1:\n%s", call, n, res)
		}
	}
	if n := z.TokenRequests(); n != 1 {
		t.Errorf("%d token requests, want 1 (the second call is a cache hit)", n)
	}
}

// TestPluginOthersCanChangeIsNotStarted: a plugin executable others can
// write, or one in a directory others can write, is refused with exit 2
// before it runs.
func TestPluginOthersCanChangeIsNotStarted(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		dirMode, fileMode os.FileMode
		culprit           func(dir, exe string) string
		want              string
	}{
		"writable plugin":    {0o755, 0o775, func(_, exe string) string { return exe }, "is writable by its group (mode 0775); run chmod go-w "},
		"writable directory": {0o777, 0o755, func(dir, _ string) string { return dir }, "is writable by group and others (mode 0777); run chmod go-w "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			dir := filepath.Join(home, "plugins")
			marker := filepath.Join(home, "started")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			exe := filepath.Join(dir, "keyfob-plugin-x")
			if err := os.WriteFile(exe, []byte("#!/bin/sh\ntouch "+marker+"\n"), 0o700); err != nil {
				t.Fatal(err)
			}
			for p, mode := range map[string]os.FileMode{exe: tc.fileMode, dir: tc.dirMode} {
				if err := os.Chmod(p, mode); err != nil {
					t.Fatal(err)
				}
				shareGroup(t, p, mode)
			}
			cfg := harness.WriteConfig(t, home, "[profiles.p]\nprovider = \"x\"\nplugin = \"x\"\n")
			res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "p"},
				Env: env("KEYFOB_CONFIG", cfg, "KEYFOB_PLUGIN_DIR", dir)})
			if res.ExitCode != 2 || res.Stdout != "" {
				t.Fatalf("want exit 2:\n%s", res)
			}
			culprit := tc.culprit(dir, exe)
			oneLine(t, res, "plugin "+exe, culprit+" "+tc.want+culprit)
			if _, err := os.Stat(marker); err == nil {
				t.Error("the plugin was started")
			}
		})
	}
}
