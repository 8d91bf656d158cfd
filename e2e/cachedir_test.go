//go:build unix

package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// A credential helper must not hang or be turned against its user by what
// is in its cache directory (same user: a crashed process, a tool gone
// wrong). Each test primes the cache with one real token from fosite,
// then changes the directory.

// primedCache returns a home whose cache holds one token for profile cc,
// the variables to run it, and the cache directory.
func primedCache(t *testing.T, bin string) (f *servers.Fosite, home string, vars []string, dir string) {
	t.Helper()
	f = servers.StartFosite(t)
	home = t.TempDir()
	cfg := harness.WriteConfig(t, home, clientCredentialsProfile("cc", f.TokenURL, f.Client, "api"))
	vars = env("KEYFOB_CONFIG", cfg, clientSecretVar, f.Client.Secret)
	checkSuccess(t, credRun(t, bin, home, vars, "cc"), f.Client.Secret)
	return f, home, vars, filepath.Join(home, ".cache", "keyfob")
}

// cacheFiles returns the files of dir matching pattern, at least one.
func cacheFiles(t *testing.T, dir, pattern string) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, pattern))
	if len(files) == 0 {
		t.Fatalf("no %s in the cache", pattern)
	}
	return files
}

// TestCacheDirFIFOAtEntryPath: a FIFO in place of the access entry does
// not block the call; the entry is a miss and the token is fetched again.
func TestCacheDirFIFOAtEntryPath(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f, home, vars, dir := primedCache(t, bin)
	for _, p := range cacheFiles(t, dir, "at-*.json") {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "cc"}, Env: vars, Timeout: 20 * time.Second})
	checkSuccess(t, res, f.Client.Secret)
	if res.Duration > 10*time.Second || f.TokenRequests() != 2 {
		t.Errorf("took %v with %d token requests; want a prompt refetch", res.Duration, f.TokenRequests())
	}
}

// TestCacheDirFIFOAtSalt: a FIFO in place of the salt is refused at once,
// naming it (exit 2).
func TestCacheDirFIFOAtSalt(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f, home, vars, dir := primedCache(t, bin)
	salt := filepath.Join(dir, "salt.bin")
	if err := os.Remove(salt); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(salt, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	res := harness.Run(t, bin, harness.RunOpts{Home: home, Args: []string{"token", "-p", "cc"}, Env: vars, Timeout: 20 * time.Second})
	if res.ExitCode != 2 || res.Stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", res.ExitCode, res.Stdout)
	}
	checkOneErrorLine(t, res.Stderr, salt, "is not a regular file")
	checkNoLeaks(t, res, f.Client.Secret)
}

// TestCacheDirSymlinkAtLockPath: a symbolic link planted at a lock path is
// refused (exit 2, naming it); its target is not created.
func TestCacheDirSymlinkAtLockPath(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f, home, vars, dir := primedCache(t, bin)
	target := filepath.Join(t.TempDir(), "victim")
	for _, p := range cacheFiles(t, dir, "lk-*.lock") {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	res := credRun(t, bin, home, vars, "cc", "--force-refresh")
	if res.ExitCode != 2 || res.Stdout != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing:\n%s", res.ExitCode, res.Stdout, res)
	}
	checkOneErrorLine(t, res.Stderr, "is a symbolic link", "remove it")
	checkNoLeaks(t, res, f.Client.Secret)
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("the link's target was created: %v", err)
	}
}

// TestCacheDirTamperedEntry: an access entry edited to hold a header
// injection (CRLF in the token, an odd token type) or copied from
// another key is a miss: the token is fetched again and stdout holds one
// header line.
func TestCacheDirTamperedEntry(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]func(b []byte) []byte{
		"CRLF in the token": func(b []byte) []byte {
			return []byte(strings.Replace(string(b), `"access_token":"`, `"access_token":"evil\r\nX-Injected: evil`, 1))
		},
		"odd token type": func(b []byte) []byte {
			return []byte(strings.Replace(string(b), `"token_type":"Bearer"`, `"token_type":"Bearer\r\nX-Evil: 1"`, 1))
		},
		"bound to another key": func(b []byte) []byte {
			return []byte(strings.Replace(string(b), `"key":"`, `"key":"other`, 1))
		},
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, home, vars, dir := primedCache(t, bin)
			for _, p := range cacheFiles(t, dir, "at-*.json") {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				changed := tamper(b)
				if string(changed) == string(b) {
					t.Fatalf("the entry was not changed: %s", b)
				}
				if err := os.WriteFile(p, changed, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			res := credRun(t, bin, home, vars, "cc", "-o", "header")
			checkSuccess(t, res, f.Client.Secret)
			headerToken(t, res.Stdout)
			if strings.Contains(res.Stdout, "evil") || strings.Contains(res.Stdout, "X-Evil") || f.TokenRequests() != 2 {
				t.Errorf("the tampered entry was served (%d token requests): %q", f.TokenRequests(), res.Stdout)
			}
		})
	}
}

// TestCacheDirStaleTempFileRemoved: a temporary file left by a process
// killed mid-write (it may hold a token) is removed by the next write; a
// fresh one, possibly another writer's, is left alone.
func TestCacheDirStaleTempFileRemoved(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f, home, vars, dir := primedCache(t, bin)
	stale, fresh := filepath.Join(dir, "tmp-123456"), filepath.Join(dir, "tmp-654321")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte(`{"access_token":"left-behind"}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	checkSuccess(t, credRun(t, bin, home, vars, "cc", "--force-refresh"), f.Client.Secret)
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the stale temporary file survived the next write: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a fresh temporary file was removed: %v", err)
	}
}
