package docker

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/host/protocol"
)

// Helper is the program name docker runs keyfob as (CONTRACT §3) for
// "credHelpers": {"registry": "keyfob"}.
const Helper = "docker-credential-keyfob"

// DefaultUsername is the user name docker is told with a token when the
// profile sets no docker_username: servers that take a token as a Basic
// password ignore it.
const DefaultUsername = "oauth2"

// exitNotFound is the exit status of "credentials not found".
const exitNotFound = 1

// Protocol is keyfob docker: the docker credential helper protocol as a
// keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "docker" }

// Aliases is Helper.
func (Protocol) Aliases() []string { return []string{Helper} }

// Help describes keyfob docker.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "docker get|store|erase|list|version",
		Short: "docker credential helper (also run as docker-credential-keyfob)",
		Long: `docker credential helper (docker-credential-helpers protocol). get answers with the token of
the profile whose hosts match the registry, as the password of docker_username ("oauth2" by
default); with acr_exchange = true (preset "acr") the Entra token is exchanged at the Azure
Container Registry for an ACR refresh token, returned as an identity token. Registries no
profile serves get "credentials not found in native keychain". Errors are written to stdout.`,
		Example: `  keyfob install-helpers ~/bin
  # ~/.docker/config.json
  {"credHelpers": {"myacr.azurecr.io": "keyfob"}}`,
		MinArgs: 1, MaxArgs: 1, Tool: "docker",
	}
}

// Exchanger is the ACR exchange, which the engine's Session implements
// (it needs net/http, which the lean front never links): it trades an
// Entra access token for registry's ACR refresh token, returned as an
// entry with its token, expiry (zero when the registry gave none) and
// issue time.
type Exchanger interface {
	ExchangeACR(ctx context.Context, registry, tenant, accessToken string) (*cache.Entry, error)
}

// Serve answers one action; its errors go to stdout too, where the
// protocol reads them.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	err := serve(ctx, s, args[0])
	if reported(s, err) {
		_ = WriteError(s.Stdout(), err)
	}
	return err
}

// reported reports whether err goes to stdout: every error but an *Exit
// (its answer is written) in the engine; in the front, which hands the
// rest off, only a request that did not arrive in time.
func reported(s protocol.Session, err error) bool {
	var ex *protocol.Exit
	var te *protocol.StdinTimeout
	switch {
	case err == nil, errors.As(err, &ex):
		return false
	case s.CacheOnly():
		return errors.As(err, &te)
	}
	return true
}

func serve(ctx context.Context, s protocol.Session, action string) error {
	if action == "get" {
		return get(ctx, s)
	}
	if err := protocol.Full(s); err != nil {
		return err
	}
	switch action {
	case "erase":
		return erase(s)
	case "store":
		return store(s)
	case "list":
		return list(s)
	case "version":
		return WriteVersion(s.Stdout(), Helper, "github.com/keyfob/keyfob", s.Version())
	}
	return protocol.Usagef("unknown docker credential helper action %q", action)
}

// get answers get; a registry no profile serves gets the not-found
// message and exit status 1, which docker takes as "no credentials".
func get(ctx context.Context, s protocol.Session) error {
	srv, err := ParseServer(s.Stdin("docker"))
	if err != nil {
		return protocol.RequestError(err)
	}
	p, err := s.Select(srv.Selection())
	if err != nil {
		return err
	}
	if p == nil {
		_ = WriteNotFound(s.Stdout())
		return &protocol.Exit{Code: exitNotFound}
	}
	if ACRExchange(p.Values) {
		tok, err := acrToken(ctx, s, p, srv.Host)
		if err != nil {
			return err
		}
		return WriteCredentials(s.Stdout(), Credentials{ServerURL: srv.URL, Username: IdentityTokenUser, Secret: tok})
	}
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return err
	}
	return WriteCredentials(s.Stdout(), Answer(srv, p.Values, e.AccessToken))
}

// acrToken returns the cached ACR refresh token for registry, or
// exchanges the profile's Entra token for a new one and caches it.
func acrToken(ctx context.Context, s protocol.Session, p *protocol.Profile, registry string) (string, error) {
	key := ACRKeyOf(registry)
	if e, err := s.Derived(p, key); err != nil || e != nil {
		return entryToken(e), err
	}
	x, ok := s.(Exchanger)
	if !ok {
		return "", protocol.ErrHandOff
	}
	at, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return "", err
	}
	e, err := x.ExchangeACR(ctx, registry, ACRTenant(p.Values), at.AccessToken)
	if err != nil {
		return "", err
	}
	e.TokenType, e.Profile, e.Scopes = "acr_refresh_token", p.Name, at.Scopes
	if e.ExpiresAt.IsZero() {
		e.ExpiresAt = at.ExpiresAt
	}
	if err := s.PutDerived(p, key, e); err != nil {
		fmt.Fprintf(s.Stderr(), "keyfob: warning: could not cache the ACR refresh token: %s\n", protocol.OneLine(err.Error()))
	}
	return e.AccessToken, nil
}

// entryToken is the token of e, or "" when there is none.
func entryToken(e *cache.Entry) string {
	if e == nil {
		return ""
	}
	return e.AccessToken
}

// erase drops the cached tokens for the registry (docker logout); the
// sign-in is kept. A registry no profile serves has nothing to erase.
func erase(s protocol.Session) error {
	srv, err := ParseServer(s.Stdin("docker"))
	if err != nil {
		return protocol.RequestError(err)
	}
	p, err := s.Select(srv.Selection())
	if err != nil || p == nil {
		return err
	}
	return s.Forget(p, "", ACRKeyOf(srv.Host))
}

// store accepts and discards what docker login obtained: keyfob's
// registry credentials come from its profiles. Failing instead would fail
// docker login for registries keyfob does not even serve.
func store(s protocol.Session) error {
	creds, err := ParseStore(s.Stdin("docker"))
	if err != nil {
		return protocol.RequestError(err)
	}
	srv, err := ParseServerURL(creds.ServerURL)
	if err != nil {
		return &protocol.UsageError{Err: err}
	}
	name, err := s.Matching(srv.Selection())
	if err != nil {
		return err
	}
	if name != "" {
		fmt.Fprintf(s.Stderr(), "keyfob: not storing the credentials for %s: keyfob gets them from profile %q\n", srv.Host, name)
		return nil
	}
	fmt.Fprintf(s.Stderr(), "keyfob: not storing the credentials for %s: keyfob keeps no registry credentials of its own\n", srv.Host)
	return nil
}

// list answers list: every registry a profile names by an exact host.
func list(s protocol.Session) error {
	servers, err := List(s)
	if err != nil {
		return err
	}
	return WriteList(s.Stdout(), servers)
}

// List is the answer to list: every registry a profile names by an
// exact host (host or host:port, no wildcard, URL or user), with the user
// name docker is told for it; the first profile in name order wins.
func List(s protocol.Session) (map[string]string, error) {
	out := map[string]string{}
	err := s.EachProfile(func(p *protocol.Profile, hosts []string) {
		for _, h := range hosts {
			h = strings.ToLower(strings.TrimSpace(h))
			if h == "" || strings.ContainsAny(h, "*@/") {
				continue
			}
			if _, taken := out[h]; !taken {
				out[h] = Username(p.Values)
			}
		}
	})
	return out, err
}

// Selection is the request as profile selection sees it.
func (s Server) Selection() protocol.Request {
	return protocol.Request{Host: s.Host, URL: s.RequestURL()}
}

// Answer is keyfob's answer to get for an access token: docker_username
// (else DefaultUsername) and the token as the secret. It never uses
// IdentityTokenUser, which would make docker treat the access token as a
// registry refresh token.
func Answer(s Server, values map[string]string, token string) Credentials {
	return Credentials{ServerURL: s.URL, Username: Username(values), Secret: token}
}

// Username is the user name docker is told for a profile.
func Username(values map[string]string) string {
	if ACRExchange(values) {
		return IdentityTokenUser
	}
	if u := values["docker_username"]; u != "" {
		return u
	}
	return DefaultUsername
}

// ACRExchange reports whether a profile trades its Entra token for an
// Azure Container Registry refresh token for docker (acr_exchange = true).
func ACRExchange(values map[string]string) bool { return values["acr_exchange"] == "true" }

// acrRegistryKey is the key under which the registry enters the ACR
// refresh token's cache key; a dash keeps it apart from every profile key.
const acrRegistryKey = "acr-registry"

// ACRKey is the cache key of the ACR refresh token for registry, derived
// from the key of the profile's access token: the request's account and
// credential fingerprint stay part of it.
func ACRKey(req tokenkey.Request, registry string) string {
	values := make(map[string]string, len(req.Values)+1)
	for k, v := range req.Values {
		values[k] = v
	}
	values[acrRegistryKey] = strings.ToLower(registry)
	req.Values = values
	return tokenkey.Access(req, keyspec.IsSecret)
}

// ACRKeyOf is ACRKey for registry, as a protocol.KeyOf.
func ACRKeyOf(registry string) protocol.KeyOf {
	return func(r tokenkey.Request) string { return ACRKey(r, registry) }
}

// ACRTenant is the tenant sent with the exchange: tenant_id, else the
// tenant of the authority URL unless it is common, organizations or
// consumers; "" when unknown.
func ACRTenant(values map[string]string) string {
	if t := values["tenant_id"]; t != "" {
		return t
	}
	u, err := url.Parse(values["authority"])
	if err != nil {
		return ""
	}
	t, _, _ := strings.Cut(strings.Trim(u.Path, "/"), "/")
	switch strings.ToLower(t) {
	case "common", "organizations", "consumers":
		return ""
	}
	return t
}
