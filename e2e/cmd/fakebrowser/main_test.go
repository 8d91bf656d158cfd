package main

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/servers"
)

func TestFakeBrowserSignsIn(t *testing.T) {
	z := servers.StartZitadel(t)
	got := make(chan url.Values, 1)
	client := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.URL.Query()
		_, _ = w.Write([]byte("signed in"))
	}))
	defer client.Close()
	q := url.Values{"client_id": {z.NativeClient.ID}, "response_type": {"code"}, "scope": {"openid"},
		"redirect_uri": {client.URL + "/"}, "state": {"st"},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	log := filepath.Join(t.TempDir(), "browser.log")
	t.Setenv("FAKEBROWSER_LOG", log)
	authorize := z.AuthorizationURL + "?" + q.Encode()
	if err := run([]string{authorize}); err != nil {
		t.Fatal(err)
	}
	if cb := <-got; cb.Get("state") != "st" || cb.Get("code") == "" {
		t.Errorf("callback %v, want a code and the state", cb)
	}
	if b, err := os.ReadFile(log); err != nil || strings.TrimSpace(string(b)) != authorize {
		t.Errorf("log %q, %v; want the URL", b, err)
	}
	t.Setenv("FAKEBROWSER_PASSWORD", "wrong")
	t.Setenv("FAKEBROWSER_USER", z.User.Username)
	if err := run([]string{authorize}); err == nil {
		t.Error("a wrong password signed in")
	}
}
