package servers

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"
	"github.com/ory/fosite/handler/openid"
	"github.com/ory/fosite/storage"
	"golang.org/x/crypto/bcrypt"
)

// Paths of the fosite server's endpoints.
const (
	fositeTokenPath      = "/oauth2/token"
	fositeRevocationPath = "/oauth2/revoke"
)

// AuthMethodPrivateKeyJWT is the token-endpoint authentication method of
// an AssertionClient.
const AuthMethodPrivateKeyJWT = "private_key_jwt"

// AssertionClient is a private_key_jwt client of the fosite server: it
// authenticates with a JWT client assertion signed by Key's private key.
// fosite is strict, as Entra is: the assertion's aud must be TokenURL, its
// alg must be Alg, and each jti is accepted once.
type AssertionClient struct {
	// ID is the client_id, also the assertion's iss and sub.
	ID string
	// Alg is the only signing algorithm accepted
	// (token_endpoint_auth_signing_alg): RS256, PS256 or ES256.
	Alg string
	// Key is the public key (*rsa.PublicKey or *ecdsa.PublicKey)
	// registered as the client's JWKS.
	Key crypto.PublicKey
	// KeyID is the key's kid in the JWKS; empty for none.
	KeyID string
}

// FositeOption configures StartFosite.
type FositeOption func(*Fosite)

// WithAssertionClients registers private_key_jwt clients (grants password,
// refresh_token and client_credentials, the same scopes as Client).
func WithAssertionClients(clients ...AssertionClient) FositeOption {
	return func(f *Fosite) { f.AssertionClients = append(f.AssertionClients, clients...) }
}

// fositeSigningKey signs fosite's ID tokens. One key serves every server in
// the process: generating RSA keys is slow under -race.
var fositeSigningKey = sync.OnceValues(func() (*rsa.PrivateKey, error) {
	return rsa.GenerateKey(rand.Reader, 2048)
})

// Fosite is a running ory/fosite authorization server (compose.ComposeAllEnabled
// with an in-memory store) on a loopback httptest server.
//
// Refresh tokens rotate: each one can be used once, and reusing one revokes
// every token of its grant.
type Fosite struct {
	// URL is the server's base URL, also the issuer of its ID tokens.
	URL string
	// TokenURL is the token endpoint.
	TokenURL string
	// RevocationURL is the RFC 7009 revocation endpoint.
	RevocationURL string

	// Client is a confidential client (grants password, refresh_token,
	// client_credentials) that the server accepts only with
	// client_secret_basic.
	Client Client
	// PostClient is like Client but accepted only with client_secret_post.
	PostClient Client
	// User is a resource owner for the password grant.
	User User
	// OtherUsers are more resource owners, registered with WithUsers.
	OtherUsers []User
	// Scopes are the scopes the clients may request (exact match). A
	// refresh token is issued when offline or offline_access is granted.
	Scopes []string
	// AssertionClients are the private_key_jwt clients registered with
	// WithAssertionClients.
	AssertionClients []AssertionClient

	provider   fosite.OAuth2Provider
	counter    *tokenCounter
	httpClient *http.Client

	mu         sync.Mutex
	assertions []string
	middleware []func(http.Handler) http.Handler // outermost first, see FositeRecorder
}

// StartFosite starts a fosite authorization server on 127.0.0.1 with the
// clients and user described on [Fosite], and those opts add. Access
// tokens are opaque (HMAC) and valid for one hour. The server is closed by
// t.Cleanup.
func StartFosite(t testing.TB, opts ...FositeOption) *Fosite {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	f := &Fosite{
		URL:           base,
		TokenURL:      base + fositeTokenPath,
		RevocationURL: base + fositeRevocationPath,
		Client:        Client{ID: "ropc-basic", Secret: randomSecret(), AuthMethod: AuthMethodBasic},
		PostClient:    Client{ID: "ropc-post", Secret: randomSecret(), AuthMethod: AuthMethodPost},
		User:          User{Username: "alice", Password: randomSecret()},
		Scopes:        []string{"openid", "offline", "offline_access", "api"},
		counter:       newTokenCounter(fositeTokenPath),
	}
	for _, opt := range opts {
		opt(f)
	}
	provider, err := f.newProvider()
	if err != nil {
		srv.Close()
		t.Fatalf("starting fosite: %v", err)
	}
	f.provider = provider

	mux := http.NewServeMux()
	mux.HandleFunc("POST "+fositeTokenPath, f.serveToken)
	mux.HandleFunc("POST "+fositeRevocationPath, f.serveRevocation)
	srv.Config.Handler = applyMiddleware(f.counter.wrap(mux), f.middleware)
	srv.Start()
	t.Cleanup(srv.Close)
	f.httpClient = srv.Client()
	return f
}

func (f *Fosite) newProvider() (fosite.OAuth2Provider, error) {
	key, err := fositeSigningKey()
	if err != nil {
		return nil, err
	}
	globalSecret := make([]byte, 32)
	if _, err := rand.Read(globalSecret); err != nil {
		return nil, err
	}
	store := storage.NewMemoryStore() // every map non-nil, BlacklistedJTIs included
	for _, c := range []Client{f.Client, f.PostClient} {
		oc, err := f.newClient(c)
		if err != nil {
			return nil, err
		}
		store.Clients[c.ID] = oc
	}
	for _, c := range f.AssertionClients {
		store.Clients[c.ID] = f.newAssertionClient(c)
	}
	for _, u := range append([]User{f.User}, f.OtherUsers...) {
		store.Users[u.Username] = storage.MemoryUserRelation{Username: u.Username, Password: u.Password}
	}

	cfg := &fosite.Config{
		AccessTokenLifespan:  time.Hour,
		RefreshTokenLifespan: 24 * time.Hour,
		GlobalSecret:         globalSecret,
		TokenURL:             f.TokenURL,
		IDTokenIssuer:        f.URL,
		AccessTokenIssuer:    f.URL,
		ScopeStrategy:        fosite.ExactScopeStrategy,
		HashCost:             bcrypt.MinCost,
		// fosite's getters fill these in lazily, a data race under
		// concurrent requests; set them up front.
		AudienceMatchingStrategy: fosite.DefaultAudienceMatchingStrategy,
		JWKSFetcherStrategy:      fosite.NewDefaultJWKSFetcherStrategy(),
	}
	cfg.ClientSecretsHasher = &fosite.BCrypt{Config: cfg}
	return compose.ComposeAllEnabled(cfg, store, key), nil
}

func (f *Fosite) newClient(c Client) (fosite.Client, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(c.Secret), bcrypt.MinCost)
	if err != nil {
		return nil, err
	}
	return &fosite.DefaultOpenIDConnectClient{
		DefaultClient: &fosite.DefaultClient{
			ID:         c.ID,
			Secret:     hash,
			GrantTypes: []string{"password", "refresh_token", "client_credentials"},
			// The authorize endpoint is not served; these only satisfy
			// fosite's ID-token issuance on refresh.
			ResponseTypes: []string{"code", "id_token"},
			Scopes:        f.Scopes,
		},
		TokenEndpointAuthMethod: c.AuthMethod,
	}, nil
}

// newAssertionClient registers c's key as its JWKS and pins its alg.
func (f *Fosite) newAssertionClient(c AssertionClient) fosite.Client {
	return &fosite.DefaultOpenIDConnectClient{
		DefaultClient: &fosite.DefaultClient{
			ID:            c.ID,
			GrantTypes:    []string{"password", "refresh_token", "client_credentials"},
			ResponseTypes: []string{"code", "id_token"},
			Scopes:        f.Scopes,
		},
		JSONWebKeys: &jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
			{Key: c.Key, KeyID: c.KeyID, Algorithm: c.Alg, Use: "sig"},
		}},
		TokenEndpointAuthMethod:           AuthMethodPrivateKeyJWT,
		TokenEndpointAuthSigningAlgorithm: c.Alg,
	}
}

// serveToken is fosite's token endpoint. As a real deployment's consent
// step would, it grants the requested scopes of password and
// client_credentials requests; fosite has already checked them against the
// client. Refresh requests keep the scopes of their original grant.
func (f *Fosite) serveToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := f.provider.NewAccessRequest(ctx, r, newFositeSession())
	f.recordAssertion(r)
	if err != nil {
		f.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	if ar.GetGrantTypes().ExactOne("password") || ar.GetGrantTypes().ExactOne("client_credentials") {
		for _, scope := range ar.GetRequestedScopes() {
			ar.GrantScope(scope)
		}
	}
	resp, err := f.provider.NewAccessResponse(ctx, ar)
	if err != nil {
		f.provider.WriteAccessError(ctx, w, ar, err)
		return
	}
	f.provider.WriteAccessResponse(ctx, w, ar, resp)
}

func (f *Fosite) serveRevocation(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f.provider.WriteRevocationResponse(ctx, w, f.provider.NewRevocationRequest(ctx, r))
}

// recordAssertion keeps the client assertion of a token request that
// fosite has parsed.
func (f *Fosite) recordAssertion(r *http.Request) {
	if a := r.PostForm.Get("client_assertion"); a != "" {
		f.mu.Lock()
		f.assertions = append(f.assertions, a)
		f.mu.Unlock()
	}
}

// ClientAssertions returns the client assertions the token endpoint has
// received, in order, rejected ones included.
func (f *Fosite) ClientAssertions() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.assertions...)
}

// TokenRequests returns how many POST requests reached the token endpoint,
// those made by IssueRefreshToken included.
func (f *Fosite) TokenRequests() int64 { return f.counter.totalRequests() }

// GrantRequests returns how many POST requests reached the token endpoint
// with the given grant_type, those made by IssueRefreshToken included.
func (f *Fosite) GrantRequests(grantType string) int64 { return f.counter.grantRequests(grantType) }

// IssueRefreshToken gets a refresh token for User through Client with a
// password grant (scopes openid offline_access api) made directly over
// HTTP, for tests that hand keyfob an explicit refresh token. The request is
// counted by TokenRequests.
func (f *Fosite) IssueRefreshToken(t testing.TB) string {
	t.Helper()
	return f.IssueRefreshTokenFor(t, f.User)
}

// IssueRefreshTokenFor is IssueRefreshToken for user (User or one of
// OtherUsers).
func (f *Fosite) IssueRefreshTokenFor(t testing.TB, user User) string {
	t.Helper()
	form := url.Values{
		"grant_type": {"password"},
		"username":   {user.Username},
		"password":   {user.Password},
		"scope":      {"openid offline_access api"},
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, f.TokenURL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatalf("password grant: %v", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(f.Client.ID), url.QueryEscape(f.Client.Secret))
	resp, err := f.httpClient.Do(req)
	if err != nil {
		t.Fatalf("password grant: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxCountedBody))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("password grant: %s: %s", resp.Status, body)
	}
	var tok struct {
		RefreshToken string `json:"refresh_token"`
	}
	if err := json.Unmarshal(body, &tok); err != nil || tok.RefreshToken == "" {
		t.Fatalf("password grant: no refresh token in response (%v)", err)
	}
	return tok.RefreshToken
}

// IntrospectAccessToken checks, with fosite's own introspection, that token
// is an active access token this server issued, and describes it.
func (f *Fosite) IntrospectAccessToken(ctx context.Context, token string) (TokenInfo, error) {
	_, ar, err := f.provider.IntrospectToken(ctx, token, fosite.AccessToken, newFositeSession())
	if err != nil {
		return TokenInfo{}, err
	}
	return TokenInfo{
		Subject:  ar.GetSession().GetSubject(),
		ClientID: ar.GetClient().GetID(),
		Scopes:   ar.GetGrantedScopes(),
		Expiry:   ar.GetSession().GetExpiresAt(fosite.AccessToken),
	}, nil
}

// fositeSession is fosite's OpenID Connect session whose subject is also the
// ID token's, so that refreshing a grant with the openid scope can issue an
// ID token (fosite requires a subject there, and the password grant sets
// only the session's).
type fositeSession struct {
	*openid.DefaultSession
}

func newFositeSession() *fositeSession {
	return &fositeSession{openid.NewDefaultSession()}
}

// SetSubject implements fosite's oauth2.Session.
func (s *fositeSession) SetSubject(subject string) {
	s.DefaultSession.SetSubject(subject)
	s.Claims.Subject = subject
}
