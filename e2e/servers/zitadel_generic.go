package servers

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/client/rp"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// The generic-grant server's principals.
const (
	zitadelServiceUserID = "svc-robot"
	zitadelServiceKeyID  = "svc-key-1"
	zitadelExchangerID   = "exchanger"
)

// zitadelGenericScopes are the scopes the service user may get through
// the JWT bearer grant; others are dropped, as zitadel's storage does.
var zitadelGenericScopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, "api"}

// ServiceUser is a JWT-profile service user: it signs its own JWT
// bearer assertions (iss = sub = ID, aud = the issuer, kid = KeyID) with
// its private key, and the server knows the public key.
type ServiceUser struct {
	// ID is the user's id: the iss and sub of its assertions, and the sub
	// of the tokens issued for them.
	ID string
	// KeyID is the kid under which the server knows the key.
	KeyID string
	// KeyPEM is the RSA private key, PKCS#8 PEM.
	KeyPEM []byte

	key *rsa.PrivateKey
}

// ZitadelGeneric is a zitadel/oidc v3 OpenID Provider (pkg/op, with the
// library's example storage) set up for the generic grants on a loopback
// httptest server: the JWT bearer grant (RFC 7523 §2.1, zitadel's "JWT
// profile") for ServiceUser, and token exchange (RFC 8693) for
// Exchanger. Access tokens are JWTs.
type ZitadelGeneric struct {
	// Issuer is the issuer URL: the httptest server's URL, no trailing
	// slash. OpenID discovery at it names the token endpoint.
	Issuer string
	// TokenURL is the token endpoint.
	TokenURL string
	// ServiceUser may use the JWT bearer grant; it may get the scopes
	// openid, profile and api.
	ServiceUser ServiceUser
	// Exchanger is a confidential client (client_secret_basic) allowed
	// the token exchange grant. Subject tokens may be this server's JWT
	// access tokens, ID tokens or refresh tokens (opaque access tokens
	// crash zitadel v3.49.1, see OAUTH-ENTRA.md §3.1). A delegated token
	// (with an actor_token) carries act.sub = the actor's subject.
	Exchanger Client
	// UserID is the id of the example user whose ID tokens UserIDToken
	// mints.
	UserID string

	counter    *tokenCounter
	assertions *assertionLog
	keySet     oidc.KeySet
	store      *genericStorage
}

// StartZitadelGeneric starts the generic-grant server on 127.0.0.1. It is
// closed by t.Cleanup.
func StartZitadelGeneric(t testing.TB) *ZitadelGeneric {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	z := &ZitadelGeneric{
		Issuer:    "http://" + srv.Listener.Addr().String(),
		Exchanger: Client{ID: zitadelExchangerID, Secret: randomSecret(), AuthMethod: AuthMethodBasic},
		UserID:    zitadelUserID,
	}
	z.TokenURL = op.DefaultEndpoints.Token.Absolute(z.Issuer)
	svc, err := newServiceUser()
	if err != nil {
		srv.Close()
		t.Fatalf("starting zitadel: %v", err)
	}
	z.ServiceUser = svc
	z.counter = newTokenCounter(mustPath(t, z.TokenURL))
	z.assertions = &assertionLog{path: mustPath(t, z.TokenURL)}
	handler, err := z.newHandler()
	if err != nil {
		srv.Close()
		t.Fatalf("starting zitadel: %v", err)
	}
	srv.Config.Handler = z.counter.wrap(z.assertions.wrap(handler))
	srv.Start()
	t.Cleanup(srv.Close)
	z.keySet = rp.NewRemoteKeySet(srv.Client(), op.DefaultEndpoints.JwksURI.Absolute(z.Issuer))
	return z
}

// newServiceUser makes the service user and its key.
func newServiceUser() (ServiceUser, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return ServiceUser{}, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ServiceUser{}, err
	}
	return ServiceUser{ID: zitadelServiceUserID, KeyID: zitadelServiceKeyID, key: key,
		KeyPEM: pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})}, nil
}

func (z *ZitadelGeneric) newHandler() (http.Handler, error) {
	web := storage.WebClient(zitadelExchangerID, z.Exchanger.Secret)
	z.store = &genericStorage{
		Storage: storage.NewStorageWithClients(storage.NewUserStore(z.Issuer), map[string]*storage.Client{
			zitadelExchangerID: web,
		}),
		exchanger:   jwtClient{web},
		serviceKeys: map[string]map[string]*rsa.PublicKey{z.ServiceUser.ID: {z.ServiceUser.KeyID: &z.ServiceUser.key.PublicKey}},
	}
	var key [32]byte
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	cfg := &op.Config{CryptoKey: key, AuthMethodPost: true, SupportedUILocales: []language.Tag{language.English}}
	//lint:ignore SA1019 the fixed-issuer constructor is what the reference setup (OAUTH-ENTRA.md §3.1) was checked with
	provider, err := op.NewOpenIDProvider(z.Issuer, cfg, z.store, op.WithAllowInsecure())
	if err != nil {
		return nil, err
	}
	return op.RegisterLegacyServer(op.NewLegacyServer(provider, *op.DefaultEndpoints), op.AuthorizeCallbackHandler(provider)), nil
}

// TokenRequests returns how many POST requests reached the token endpoint.
func (z *ZitadelGeneric) TokenRequests() int64 { return z.counter.totalRequests() }

// GrantRequests returns how many POST requests reached the token endpoint
// with the given grant_type.
func (z *ZitadelGeneric) GrantRequests(grantType string) int64 {
	return z.counter.grantRequests(grantType)
}

// AssertionIDs returns the jti of every JWT bearer assertion that reached
// the token endpoint, in order ("" for one without a readable jti).
func (z *ZitadelGeneric) AssertionIDs() []string { return z.assertions.ids() }

// ServiceAssertion signs a JWT bearer assertion for ServiceUser as the
// server expects it (RS256, kid, iss = sub = the user, aud = Issuer),
// valid for lifetime: a ready-made assertion for the assertion key.
func (z *ZitadelGeneric) ServiceAssertion(lifetime time.Duration) (string, error) {
	now := time.Now()
	var jti [16]byte
	_, _ = rand.Read(jti[:])
	claims := map[string]any{"iss": z.ServiceUser.ID, "sub": z.ServiceUser.ID, "aud": z.Issuer,
		"iat": now.Unix(), "exp": now.Add(lifetime).Unix(), "jti": fmt.Sprintf("%x", jti)}
	return signRS256(z.ServiceUser.key, z.ServiceUser.KeyID, claims)
}

// UserIDToken mints an OpenID Connect ID token for the example user
// (UserID), issued to Exchanger and valid for 10 minutes: a subject
// token for token exchange, as a client that signed the user in holds.
func (z *ZitadelGeneric) UserIDToken(ctx context.Context) (string, error) {
	req := &idTokenRequest{subject: z.UserID, clientID: zitadelExchangerID, authTime: time.Now()}
	return op.CreateIDToken(ctx, z.Issuer, req, 10*time.Minute, "", "", z.store, z.store.exchanger)
}

// GenericTokenInfo is what the generic-grant server knows about an access
// token it issued.
type GenericTokenInfo struct {
	TokenInfo
	// Audience is the aud claim.
	Audience []string
	// Actor is the act.sub claim of a delegated token; "" for none.
	Actor string
}

// VerifyAccessToken checks that token is a JWT access token this server
// issued and that it has not expired, by zitadel's own verifier.
func (z *ZitadelGeneric) VerifyAccessToken(ctx context.Context, token string) (GenericTokenInfo, error) {
	v := op.NewAccessTokenVerifier(z.Issuer, z.keySet)
	claims, err := op.VerifyAccessToken[*oidc.AccessTokenClaims](ctx, token, v)
	if err != nil {
		return GenericTokenInfo{}, err
	}
	info := GenericTokenInfo{TokenInfo: TokenInfo{Subject: claims.Subject, ClientID: claims.ClientID,
		Scopes: claims.Scopes, Expiry: claims.Expiration.AsTime()}, Audience: claims.Audience}
	if claims.Actor != nil {
		info.Actor = claims.Actor.Subject
	}
	return info, nil
}

// genericStorage is zitadel's example storage with a JWT-profile service
// user, JWT access tokens for it, a token-exchange client that gets JWT
// access tokens, and token-exchange rules that accept the service user
// as a subject and mark delegation with an act claim.
type genericStorage struct {
	*storage.Storage
	exchanger   jwtClient
	serviceKeys map[string]map[string]*rsa.PublicKey // user id → kid → key
}

// GetClientByClientID implements op.Storage.
func (s *genericStorage) GetClientByClientID(ctx context.Context, clientID string) (op.Client, error) {
	if clientID == s.exchanger.GetID() {
		return s.exchanger, nil
	}
	return s.Storage.GetClientByClientID(ctx, clientID)
}

// GetKeyByIDAndClientID implements op.Storage: the service user's key
// verifies its assertions.
func (s *genericStorage) GetKeyByIDAndClientID(_ context.Context, keyID, clientID string) (*jose.JSONWebKey, error) {
	key, ok := s.serviceKeys[clientID][keyID]
	if !ok {
		return nil, fmt.Errorf("no key %q for %q", keyID, clientID)
	}
	return &jose.JSONWebKey{KeyID: keyID, Use: "sig", Key: key}, nil
}

// ValidateJWTProfileScopes implements op.Storage: the scopes requested
// that the service user may have.
func (s *genericStorage) ValidateJWTProfileScopes(_ context.Context, userID string, scopes []string) ([]string, error) {
	if _, ok := s.serviceKeys[userID]; !ok {
		return nil, oidc.ErrInvalidGrant().WithDescription("unknown service user")
	}
	allowed := []string{}
	for _, scope := range scopes {
		if slices.Contains(zitadelGenericScopes, scope) {
			allowed = append(allowed, scope)
		}
	}
	return allowed, nil
}

// JWTProfileTokenType implements op.JWTProfileTokenStorage.
func (s *genericStorage) JWTProfileTokenType(context.Context, op.TokenRequest) (op.AccessTokenType, error) {
	return op.AccessTokenTypeJWT, nil
}

// ValidateTokenExchangeRequest implements op.TokenExchangeStorage: an
// access token by default; the subject must be the example user or the
// service user (the example storage panics on other subjects).
func (s *genericStorage) ValidateTokenExchangeRequest(_ context.Context, r op.TokenExchangeRequest) error {
	if r.GetRequestedTokenType() == "" {
		r.SetRequestedTokenType(oidc.AccessTokenType)
	}
	if sub := r.GetExchangeSubject(); sub != zitadelUserID && s.serviceKeys[sub] == nil {
		return oidc.ErrInvalidRequest().WithDescription("subject %q may not be exchanged", sub)
	}
	r.SetCurrentScopes(r.GetScopes())
	return nil
}

// GetPrivateClaimsFromTokenExchangeRequest implements
// op.TokenExchangeStorage: a delegated token names its actor.
func (s *genericStorage) GetPrivateClaimsFromTokenExchangeRequest(ctx context.Context, r op.TokenExchangeRequest) (map[string]any, error) {
	claims, err := s.Storage.GetPrivateClaimsFromTokenExchangeRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	if actor := r.GetExchangeActor(); actor != "" {
		if claims == nil {
			claims = map[string]any{}
		}
		claims["act"] = map[string]any{"sub": actor}
	}
	return claims, nil
}

// jwtClient is an example-storage client that gets JWT access tokens.
type jwtClient struct{ *storage.Client }

// AccessTokenType implements op.Client.
func (jwtClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }

// idTokenRequest is what op.CreateIDToken needs to mint an ID token.
type idTokenRequest struct {
	subject, clientID string
	authTime          time.Time
}

func (r *idTokenRequest) GetAMR() []string       { return []string{"pwd"} }
func (r *idTokenRequest) GetAudience() []string  { return []string{r.clientID} }
func (r *idTokenRequest) GetAuthTime() time.Time { return r.authTime }
func (r *idTokenRequest) GetClientID() string    { return r.clientID }
func (r *idTokenRequest) GetScopes() []string    { return []string{oidc.ScopeOpenID, oidc.ScopeProfile} }
func (r *idTokenRequest) GetSubject() string     { return r.subject }

// signRS256 signs claims as a compact JWS with key.
func signRS256(key *rsa.PrivateKey, kid string, claims map[string]any) (string, error) {
	header, err := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": kid})
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := base64.RawURLEncoding.EncodeToString(header) + "." + base64.RawURLEncoding.EncodeToString(payload)
	sum := sha256.Sum256([]byte(input))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, sum[:])
	if err != nil {
		return "", err
	}
	return input + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// assertionLog records the jti of the JWT bearer assertions posted to one
// token endpoint. It is safe for concurrent use.
type assertionLog struct {
	path string
	mu   sync.Mutex
	jtis []string
}

// wrap returns next with recording in front of it; the body is put back
// unchanged.
func (l *assertionLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == l.path {
			body, err := io.ReadAll(io.LimitReader(r.Body, maxCountedBody))
			r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
			if form, perr := url.ParseQuery(string(body)); err == nil && perr == nil && form.Get("grant_type") == string(oidc.GrantTypeBearer) {
				l.record(form.Get("assertion"))
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (l *assertionLog) record(assertion string) {
	jti, _ := jwtID(assertion)
	l.mu.Lock()
	l.jtis = append(l.jtis, jti)
	l.mu.Unlock()
}

func (l *assertionLog) ids() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.jtis)
}

// jwtID reads the jti of a compact JWS without verifying it.
func jwtID(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", errors.New("not a JWS")
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", err
	}
	var claims struct {
		JTI string `json:"jti"`
	}
	err = json.Unmarshal(payload, &claims)
	return claims.JTI, err
}
