package servers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/e2e/servers"
)

func TestZitadelDiscoveryNamesTheDelegatedEndpoints(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	resp, err := http.Get(z.Issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var doc struct {
		Authorization string   `json:"authorization_endpoint"`
		Device        string   `json:"device_authorization_endpoint"`
		Grants        []string `json:"grant_types_supported"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Authorization != z.AuthorizationURL || doc.Device != z.DeviceAuthorizationURL ||
		!strings.Contains(strings.Join(doc.Grants, " "), "device_code") {
		t.Errorf("discovery %+v, want %s and %s", doc, z.AuthorizationURL, z.DeviceAuthorizationURL)
	}
}

// authorizeURL is an authorization request of z's native client with a
// redirect nobody listens on.
func authorizeURL(z *servers.Zitadel, state string) string {
	q := url.Values{"client_id": {z.NativeClient.ID}, "response_type": {"code"}, "scope": {"openid"},
		"redirect_uri": {"http://127.0.0.1:1/"}, "state": {state},
		"code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}, "code_challenge_method": {"S256"}}
	return z.AuthorizationURL + "?" + q.Encode()
}

func TestZitadelAuthorizeSignsIn(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	u, err := servers.Authorize(context.Background(), authorizeURL(z, "st"), z.User)
	if err != nil {
		t.Fatal(err)
	}
	if u.Host != "127.0.0.1:1" || u.Query().Get("state") != "st" || u.Query().Get("code") == "" {
		t.Errorf("redirect %s, want the client's redirect with a code and the state", u)
	}
	if _, err := servers.Browse(context.Background(), authorizeURL(z, "st2"), z.User); err == nil {
		t.Errorf("Browse succeeded although nothing listens on the redirect")
	}
}

func TestZitadelLoginRefusesAWrongPassword(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	_, err := servers.Authorize(context.Background(), authorizeURL(z, "st"), servers.User{Username: z.User.Username, Password: "wrong"})
	if err == nil || !strings.Contains(err.Error(), "HTTP 401") {
		t.Errorf("error %v, want the login page's refusal", err)
	}
}

func TestZitadelDeviceDecisionsOnUnknownCodes(t *testing.T) {
	t.Parallel()
	z := servers.StartZitadel(t)
	if err := z.DenyDevice(context.Background(), "NOPE-NOPE"); err == nil {
		t.Error("DenyDevice accepted an unknown code")
	}
	if err := z.ApproveDevice(context.Background(), "NOPE-NOPE"); err == nil {
		t.Error("ApproveDevice accepted an unknown code")
	}
}
