package servers

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// AuthMethodNone is a public client's token-endpoint authentication: its
// client_id only.
const AuthMethodNone = "none"

// The native client and the sign-in of the zitadel server.
const (
	zitadelNativeClientID = "native"
	zitadelDeviceClientID = "device"
	// zitadelLoginPath is where zitadel's example storage sends the browser
	// to sign in (its clients' LoginURL: /login/username?authRequestID=ID).
	zitadelLoginPath = "/login/username"
	// zitadelUserID and zitadelPassword are the example user store's first
	// user (storage.NewUserStore).
	zitadelUserID   = "id1"
	zitadelPassword = "verysecure"
)

// zitadelNativeRedirects are the native client's redirect URIs; the server
// matches loopback ones on any port.
var zitadelNativeRedirects = []string{"http://localhost/", "http://127.0.0.1/", "http://[::1]/"}

// ZitadelUser is the user who can sign in at a zitadel server with this
// issuer: the example user store names it after the issuer's host.
func ZitadelUser(issuer string) User {
	host := issuer
	if u, err := url.Parse(issuer); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return User{Username: "test-user@" + host, Password: zitadelPassword}
}

// nativeClient is the example storage's native client, allowed the device
// code grant too, and with the user's profile claims in its ID tokens.
type nativeClient struct{ *storage.Client }

// GrantTypes implements op.Client.
func (c nativeClient) GrantTypes() []oidc.GrantType {
	return slices.Concat(c.Client.GrantTypes(), []oidc.GrantType{oidc.GrantTypeDeviceCode})
}

// IDTokenUserinfoClaimsAssertion implements op.Client: preferred_username
// goes into the ID token.
func (c nativeClient) IDTokenUserinfoClaimsAssertion() bool { return true }

// ApproveDevice signs User in for the device authorization with this user
// code and approves it, as a person on the verification page would: the
// next poll gets tokens.
func (z *Zitadel) ApproveDevice(ctx context.Context, userCode string) error {
	z.store.deviceMu.Lock()
	defer z.store.deviceMu.Unlock()
	return z.store.CompleteDeviceAuthorization(ctx, userCode, zitadelUserID)
}

// DenyDevice declines the device authorization with this user code: the
// next poll is answered access_denied.
func (z *Zitadel) DenyDevice(ctx context.Context, userCode string) error {
	z.store.deviceMu.Lock()
	defer z.store.deviceMu.Unlock()
	// The example storage panics on an unknown code; look first.
	if _, err := z.store.GetDeviceAuthorizationByUserCode(ctx, userCode); err != nil {
		return err
	}
	return z.store.DenyDeviceAuthorization(ctx, userCode)
}

// GetDeviceAuthorizatonState implements op.DeviceAuthorizationStorage
// (zitadel's spelling) with a copy of the state, so that the server reads
// it while ApproveDevice may write the original.
func (s *zitadelStorage) GetDeviceAuthorizatonState(ctx context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.deviceMu.Lock()
	defer s.deviceMu.Unlock()
	st, err := s.Storage.GetDeviceAuthorizatonState(ctx, clientID, deviceCode)
	if err != nil {
		return nil, err
	}
	c := *st
	return &c, nil
}

// loginPage is the sign-in form: the auth request id travels in a hidden
// field.
var loginPage = template.Must(template.New("login").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sign in</title></head><body>
<form method="POST" action="{{.Action}}">
<input type="hidden" name="id" value="{{.ID}}">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<p>{{.Error}}</p>
<button type="submit">Sign in</button>
</form></body></html>
`))

// loginHandler serves the sign-in form (GET) and checks it (POST): a
// right user name and password send the browser on to the authorization
// callback, which redirects to the client.
func (z *Zitadel) loginHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet:
			renderLogin(w, http.StatusOK, r.URL.Query().Get("authRequestID"), "")
		case http.MethodPost:
			z.checkLogin(w, r)
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

func (z *Zitadel) checkLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	id := r.PostForm.Get("id")
	if err := z.store.CheckUsernamePassword(r.PostForm.Get("username"), r.PostForm.Get("password"), id); err != nil {
		renderLogin(w, http.StatusUnauthorized, id, err.Error())
		return
	}
	callback := strings.TrimSuffix(z.AuthorizationURL, "/") + "/callback?id=" + url.QueryEscape(id)
	http.Redirect(w, r, callback, http.StatusFound)
}

func renderLogin(w http.ResponseWriter, status int, id, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	data := struct{ Action, ID, Error string }{zitadelLoginPath, id, msg}
	if err := loginPage.Execute(w, data); err != nil {
		_, _ = fmt.Fprintf(w, "rendering the login page: %v", err)
	}
}

var _ op.Client = nativeClient{}
