package servers

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// zitadelStockClientID and zitadelStockSecret are the service user that
// zitadel's example storage hard-codes (storage.NewStorageWithClients).
const (
	zitadelStockClientID = "sid1"
	zitadelStockSecret   = "verysecret"
)

// Zitadel is a running zitadel/oidc v3 OpenID Provider (pkg/op, with the
// library's example storage) on a loopback httptest server.
type Zitadel struct {
	// Issuer is the issuer URL: the httptest server's URL, no trailing slash.
	Issuer string
	// TokenURL is the token endpoint.
	TokenURL string
	// JWKSURL is the endpoint serving the keys that sign access tokens.
	JWKSURL string

	// BasicClient is a confidential client for client_credentials that the
	// server accepts only with client_secret_basic.
	BasicClient Client
	// PostClient is a confidential client for client_credentials that the
	// server accepts only with client_secret_post.
	PostClient Client
	// StockClient is the example storage's own service user. The server
	// accepts it with either method. A wrong secret for it is answered
	// 500 server_error (the stock storage's quirk): a real server that fails
	// with a 5xx on demand.
	StockClient Client
	// Scopes are the scopes BasicClient and PostClient may request; any other
	// scope is refused with invalid_scope. (StockClient may request any.)
	Scopes []string

	// NativeClient is a public native client (no secret) for the delegated
	// grants: authorization code with PKCE (S256) on a loopback redirect
	// (http://localhost/, http://127.0.0.1/ or http://[::1]/ on any port,
	// RFC 8252 §7.3), refresh_token with rotation, and the device code
	// grant. The server asks for PKCE from it and drops scopes other than
	// the OpenID ones (openid profile email phone address offline_access).
	NativeClient Client
	// DeviceClient is a confidential client for the device code grant only,
	// authenticated with client_secret_basic on the device authorization
	// request and on every poll. Its ID tokens name the user by sub only.
	DeviceClient Client
	// User signs in on the login page (see Browse) and approves device
	// codes (see ApproveDevice). Its ID token claims include
	// preferred_username = User.Username.
	User User
	// AuthorizationURL and DeviceAuthorizationURL are the endpoints of the
	// delegated grants; OpenID discovery at Issuer names them too.
	AuthorizationURL, DeviceAuthorizationURL string

	counter    *tokenCounter
	keySet     oidc.KeySet
	store      *zitadelStorage
	middleware []func(http.Handler) http.Handler // outermost first, see ZitadelRecorder
}

// StartZitadel starts a zitadel/oidc OpenID Provider on 127.0.0.1 with the
// clients described on [Zitadel]. Access tokens are JWTs valid for 5 minutes.
// The server is closed by t.Cleanup; opts may wrap its handler (see
// ZitadelRecorder).
func StartZitadel(t testing.TB, opts ...ZitadelOption) *Zitadel {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	z := &Zitadel{
		Issuer:       "http://" + srv.Listener.Addr().String(),
		BasicClient:  Client{ID: "cc-basic", Secret: randomSecret(), AuthMethod: AuthMethodBasic},
		PostClient:   Client{ID: "cc-post", Secret: randomSecret(), AuthMethod: AuthMethodPost},
		StockClient:  Client{ID: zitadelStockClientID, Secret: zitadelStockSecret},
		Scopes:       []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, "api"},
		NativeClient: Client{ID: zitadelNativeClientID, AuthMethod: AuthMethodNone},
		DeviceClient: Client{ID: zitadelDeviceClientID, Secret: randomSecret(), AuthMethod: AuthMethodBasic},
	}
	z.User = ZitadelUser(z.Issuer)
	for _, opt := range opts {
		opt(z)
	}
	z.TokenURL = op.DefaultEndpoints.Token.Absolute(z.Issuer)
	z.AuthorizationURL = op.DefaultEndpoints.Authorization.Absolute(z.Issuer)
	z.DeviceAuthorizationURL = op.DefaultEndpoints.DeviceAuthorization.Absolute(z.Issuer)
	z.JWKSURL = op.DefaultEndpoints.JwksURI.Absolute(z.Issuer)
	tokenPath := mustPath(t, z.TokenURL)
	z.counter = newTokenCounter(tokenPath)

	handler, err := z.newHandler()
	if err != nil {
		srv.Close()
		t.Fatalf("starting zitadel: %v", err)
	}
	srv.Config.Handler = applyMiddleware(z.counter.wrap(handler), z.middleware)
	srv.Start()
	t.Cleanup(srv.Close)
	z.keySet = rp.NewRemoteKeySet(srv.Client(), z.JWKSURL)
	return z
}

func (z *Zitadel) newHandler() (http.Handler, error) {
	clients := map[string]*zitadelClient{}
	for _, c := range []Client{z.BasicClient, z.PostClient} {
		clients[c.ID] = &zitadelClient{id: c.ID, secret: c.Secret, method: c.AuthMethod, scopes: z.Scopes}
	}
	native := storage.NativeClient(zitadelNativeClientID, zitadelNativeRedirects...)
	store := &zitadelStorage{
		// An own client map: storage.NewStorage would share the
		// package-global one between servers.
		Storage: storage.NewStorageWithClients(storage.NewUserStore(z.Issuer), map[string]*storage.Client{
			zitadelNativeClientID: native,
			zitadelDeviceClientID: storage.DeviceClient(zitadelDeviceClientID, z.DeviceClient.Secret),
		}),
		clients: clients,
		native:  nativeClient{native},
	}
	z.store = store
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	cfg := &op.Config{
		CryptoKey:                key,
		DefaultLogoutRedirectURI: "/logged-out",
		CodeMethodS256:           true,
		AuthMethodPost:           true,
		AuthMethodPrivateKeyJWT:  true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.English},
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime: 5 * time.Minute, PollInterval: time.Second,
			UserFormPath: "/device", UserCode: op.UserCodeBase20,
		},
	}
	//lint:ignore SA1019 the fixed-issuer constructor is what the reference setup (OAUTH-ENTRA.md §3.1) was checked with
	provider, err := op.NewOpenIDProvider(z.Issuer, cfg, store, op.WithAllowInsecure())
	if err != nil {
		return nil, err
	}
	server := &zitadelServer{LegacyServer: op.NewLegacyServer(provider, *op.DefaultEndpoints), clients: clients}
	mux := http.NewServeMux()
	mux.Handle(zitadelLoginPath, z.loginHandler())
	mux.Handle("/", op.RegisterLegacyServer(server, op.AuthorizeCallbackHandler(provider)))
	return mux, nil
}

// TokenRequests returns how many POST requests reached the token endpoint.
func (z *Zitadel) TokenRequests() int64 { return z.counter.totalRequests() }

// GrantRequests returns how many POST requests reached the token endpoint
// with the given grant_type.
func (z *Zitadel) GrantRequests(grantType string) int64 { return z.counter.grantRequests(grantType) }

// VerifyAccessToken checks that token is an access token this server issued
// and that it has not expired: signature against the server's JWKS
// endpoint, issuer and expiry, all by zitadel's own verifier. It works for
// the JWT access tokens of BasicClient and PostClient; StockClient's tokens
// are opaque and always fail here.
func (z *Zitadel) VerifyAccessToken(ctx context.Context, token string) (TokenInfo, error) {
	v := op.NewAccessTokenVerifier(z.Issuer, z.keySet)
	claims, err := op.VerifyAccessToken[*oidc.AccessTokenClaims](ctx, token, v)
	if err != nil {
		return TokenInfo{}, err
	}
	return TokenInfo{
		Subject:  claims.Subject,
		ClientID: claims.ClientID,
		Scopes:   claims.Scopes,
		Expiry:   claims.Expiration.AsTime(),
	}, nil
}

// zitadelServer is zitadel's LegacyServer with strict client authentication
// for its client_credentials clients: the registered method only, and
// invalid_client (401) for a wrong secret.
type zitadelServer struct {
	*op.LegacyServer
	clients map[string]*zitadelClient
}

// VerifyClient implements op.Server.
func (s *zitadelServer) VerifyClient(ctx context.Context, r *op.Request[op.ClientCredentials]) (op.Client, error) {
	if oidc.GrantType(r.Form.Get("grant_type")) != oidc.GrantTypeClientCredentials || r.Data.ClientID == zitadelStockClientID {
		return s.LegacyServer.VerifyClient(ctx, r)
	}
	c, ok := s.clients[r.Data.ClientID]
	if !ok {
		return nil, invalidClient("unknown client")
	}
	used := AuthMethodPost
	if _, _, basic := (&http.Request{Header: r.Header}).BasicAuth(); basic {
		used = AuthMethodBasic
	}
	if used != c.method {
		return nil, invalidClient(fmt.Sprintf("client must authenticate with %s, not %s", c.method, used))
	}
	if subtle.ConstantTimeCompare([]byte(r.Data.ClientSecret), []byte(c.secret)) != 1 {
		return nil, invalidClient("wrong client secret")
	}
	return c, nil
}

func invalidClient(description string) error {
	return op.AsStatusError(oidc.ErrInvalidClient().WithDescription("%s", description), http.StatusUnauthorized)
}

// zitadelStorage is zitadel's example storage plus this package's
// client_credentials clients and its native client.
type zitadelStorage struct {
	*storage.Storage
	clients map[string]*zitadelClient
	native  nativeClient
	// deviceMu orders device-code decisions and reads: the example storage
	// hands out a pointer to its state and writes it on approval, which
	// races with the server reading it.
	deviceMu sync.Mutex
}

// GetClientByClientID implements op.Storage: the native client with its
// extra grant, else the example storage's clients.
func (s *zitadelStorage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	if clientID == s.native.GetID() {
		return s.native, nil
	}
	return s.Storage.GetClientByClientID(ctx, clientID)
}

// ClientCredentialsTokenRequest implements op.ClientCredentialsStorage.
func (s *zitadelStorage) ClientCredentialsTokenRequest(ctx context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	c, ok := s.clients[clientID]
	if !ok {
		return s.Storage.ClientCredentialsTokenRequest(ctx, clientID, scopes)
	}
	for _, scope := range scopes {
		if !c.IsScopeAllowed(scope) {
			return nil, oidc.ErrInvalidScope().WithDescription("scope %q is not allowed for client %q", scope, clientID)
		}
	}
	return &oidc.JWTTokenRequest{Subject: clientID, Audience: []string{clientID}, Scopes: scopes}, nil
}

// zitadelClient is an op.Client for the client_credentials grant only.
type zitadelClient struct {
	id, secret string
	method     string // AuthMethodBasic or AuthMethodPost
	scopes     []string
}

func (c *zitadelClient) GetID() string                       { return c.id }
func (c *zitadelClient) RedirectURIs() []string              { return nil }
func (c *zitadelClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *zitadelClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *zitadelClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethod(c.method) }
func (c *zitadelClient) ResponseTypes() []oidc.ResponseType  { return nil }
func (c *zitadelClient) LoginURL(string) string              { return "" }
func (c *zitadelClient) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeJWT
}
func (c *zitadelClient) IDTokenLifetime() time.Duration       { return time.Hour }
func (c *zitadelClient) DevMode() bool                        { return false }
func (c *zitadelClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *zitadelClient) ClockSkew() time.Duration             { return 0 }
func (c *zitadelClient) IsScopeAllowed(scope string) bool     { return slices.Contains(c.scopes, scope) }

func (c *zitadelClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeClientCredentials}
}

func (c *zitadelClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

func (c *zitadelClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(scopes []string) []string { return scopes }
}

// mustPath returns the path of rawURL.
func mustPath(t testing.TB, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatalf("parsing %q: %v", rawURL, err)
	}
	return u.Path
}
