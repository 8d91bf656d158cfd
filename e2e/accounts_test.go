//go:build unix

package e2e_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// These tests bind accounts to profiles (CONTRACT §7): two people sign in
// for one zitadel client through the real CLI, with a scripted $BROWSER
// that signs in as the person the test names, and every token is checked
// against the server's userinfo endpoint.

// Environment of the accounts fake browser: this test binary run as
// $BROWSER, signing in as the user named (1 or 2), each run logged.
const (
	accountBrowserUser = "KEYFOB_E2E_ACCOUNT_USER"
	accountBrowserLog  = "KEYFOB_E2E_ACCOUNT_LOG"
)

// init turns this test binary into the accounts fake browser. It runs
// before interactive_test.go's init, whose variables it does not set.
func init() {
	if who := os.Getenv(accountBrowserUser); who != "" {
		os.Exit(accountBrowser(who, os.Args[len(os.Args)-1]))
	}
}

func accountBrowser(who, rawURL string) int {
	appendLine(os.Getenv(accountBrowserLog), who+" "+rawURL)
	u, err := url.Parse(rawURL)
	if err != nil {
		return 1
	}
	user := servers.ZitadelUser("http://" + u.Host)
	if who == "2" {
		user = servers.ZitadelSecondUser()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := servers.Browse(ctx, rawURL, user); err != nil {
		appendLine(os.Getenv(accountBrowserLog), "error: "+err.Error())
		return 1
	}
	return 0
}

func appendLine(path, line string) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err == nil {
		fmt.Fprintln(f, line)
		f.Close()
	}
}

// accounts is a zitadel server and keyfob profiles of its native client
// that name no account: work, personal, other (another scope) and third.
type accounts struct {
	*interactive
	log string
}

func newAccounts(t *testing.T) *accounts {
	t.Helper()
	z := servers.StartZitadel(t)
	home := t.TempDir()
	toml := ""
	for _, name := range []string{"work", "personal", "third"} {
		toml += fmt.Sprintf("[profiles.%s]\nprovider = \"authorization_code\"\nissuer = %q\nclient_id = %q\nscopes = [\"openid\"]\n\n",
			name, z.Issuer, z.NativeClient.ID)
	}
	toml += fmt.Sprintf("[profiles.other]\nprovider = \"authorization_code\"\nissuer = %q\nclient_id = %q\nscopes = [\"openid\", \"profile\"]\n",
		z.Issuer, z.NativeClient.ID)
	s := &interactive{z: z, bin: keyfobBin(t), home: home, cfg: harness.WriteConfig(t, home, toml)}
	return &accounts{interactive: s, log: filepath.Join(t.TempDir(), "browser.log")}
}

// testBinary is this test binary.
func testBinary(t *testing.T) string {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// login runs keyfob login -p profile with a browser signing in as who.
func (s *accounts) login(t *testing.T, profile, who string) {
	t.Helper()
	r := s.run(t, false, s.browserAs(t, who), "login", "-p", profile)
	if r.code != 0 || !strings.Contains(r.stderr, fmt.Sprintf("signed in to profile %q", profile)) {
		t.Fatalf("keyfob login -p %s as user %s:\n%s", profile, who, r)
	}
}

// browserAs is the environment of a browser that signs in as user 1 or 2.
func (s *accounts) browserAs(t *testing.T, who string) []string {
	return []string{"BROWSER=" + testBinary(t), accountBrowserUser + "=" + who, accountBrowserLog + "=" + s.log}
}

// subject gets a token for profile without any sign-in and returns whom
// the server says it was issued to.
func (s *accounts) subject(t *testing.T, profile string, args ...string) string {
	t.Helper()
	r := s.run(t, false, s.browserAs(t, "1"), append([]string{"token", "-p", profile}, args...)...)
	if r.code != 0 {
		t.Fatalf("keyfob token -p %s %v:\n%s", profile, args, r)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, err := s.z.Subject(ctx, rawToken(t, r.stdout))
	if err != nil {
		t.Fatalf("profile %s: %v", profile, err)
	}
	return sub
}

// browserRuns counts the fake browser's runs; it fails the test on any
// error it logged.
func (s *accounts) browserRuns(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(s.log)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(line, "error: ") {
			t.Errorf("fake browser: %s", line)
		}
		n++
	}
	return n
}

const (
	userA = servers.ZitadelUserSubject
	userB = servers.ZitadelSecondUserSubject
)

// TestAccountsBoundToProfiles signs two people in for one client, each
// through its own profile: each profile gets its own person's tokens,
// from the cache (the front) and by refreshing (the engine); a profile
// bound to neither refuses with exit 4 and the login hint, without a
// browser; with one account signed in it uses that one, sharing its
// refresh token whatever its scopes; keyfob login rebinds; cache list
// shows the bindings; keyfob logout drops one.
func TestAccountsBoundToProfiles(t *testing.T) {
	t.Parallel()
	s := newAccounts(t)
	s.login(t, "work", "1")
	if got := s.subject(t, "work"); got != userA {
		t.Errorf("token -p work: token for %q, want %q", got, userA)
	}

	refreshes := s.z.GrantRequests("refresh_token")
	if got := s.subject(t, "other"); got != userA {
		t.Errorf("with one account signed in, profile other got a token for %q, want %q", got, userA)
	}
	if s.z.GrantRequests("refresh_token") != refreshes+1 {
		t.Error("profile other did not refresh with work's sign-in")
	}

	s.login(t, "personal", "2")
	if got := s.subject(t, "personal"); got != userB {
		t.Errorf("token -p personal: token for %q, want %q", got, userB)
	}
	for _, args := range [][]string{{"--force-refresh"}, nil} {
		if got := s.subject(t, "work", args...); got != userA {
			t.Errorf("token -p work %v: token for %q, want %q", args, got, userA)
		}
		if got := s.subject(t, "personal", args...); got != userB {
			t.Errorf("token -p personal %v: token for %q, want %q", args, got, userB)
		}
	}

	runs := s.browserRuns(t)
	for _, profile := range []string{"third", "other"} {
		r := s.run(t, false, append(s.browserAs(t, "1"), "KEYFOB_NONINTERACTIVE=1"), "token", "-p", profile)
		hint := "; run: keyfob login -p " + profile
		if r.code != 4 || r.stdout != "" || !strings.Contains(r.stderr, hint) || !strings.Contains(r.stderr, "test-user2") {
			t.Errorf("token -p %s with two accounts and no binding: want exit 4 naming them and ending %q:\n%s", profile, hint, r)
		}
	}
	if n := s.browserRuns(t); n != runs {
		t.Errorf("the refusals opened a browser %d times", n-runs)
	}

	r := s.run(t, false, nil, "cache", "list")
	for _, want := range []string{"work  test-user@", "personal  test-user2 (" + userB + ")"} {
		if !containsRow(r.stdout, "account", want) {
			t.Errorf("cache list lacks the account row %q:\n%s", want, r.stdout)
		}
	}

	s.login(t, "work", "2")
	if got := s.subject(t, "work"); got != userB {
		t.Errorf("after keyfob login -p work as the second user, work got a token for %q", got)
	}

	if r := s.run(t, false, nil, "logout", "-p", "personal"); r.code != 0 {
		t.Fatalf("keyfob logout -p personal:\n%s", r)
	}
	if got := s.subject(t, "third"); got != userA {
		t.Errorf("with only the first account signed in, third got a token for %q", got)
	}
	if r := s.run(t, false, nil, "cache", "list"); containsRow(r.stdout, "account", "personal") {
		t.Errorf("cache list still binds personal after keyfob logout -p personal:\n%s", r.stdout)
	}
}

// containsRow reports whether a line of the text listing starts with
// kind and then holds want, spaces collapsed.
func containsRow(listing, kind, want string) bool {
	for _, line := range strings.Split(listing, "\n") {
		f := strings.Join(strings.Fields(line), " ")
		if strings.HasPrefix(f, kind+" ") && strings.Contains(f, strings.Join(strings.Fields(want), " ")) {
			return true
		}
	}
	return false
}
