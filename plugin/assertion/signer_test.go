package assertion

import (
	"crypto"
	"crypto/elliptic"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

const (
	testClientID = "00000000-0000-0000-0000-000000000001"
	testTokenURL = "https://login.example/tenant/oauth2/v2.0/token"
)

// uuidV4 matches a random UUID, the form of every jti.
var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// parseJWT verifies an assertion with pub, accepting only alg, at testNow,
// and returns its header and claims.
func parseJWT(t testing.TB, s string, pub crypto.PublicKey, alg string) (map[string]any, jwt.MapClaims) {
	t.Helper()
	tok, err := jwt.Parse(s, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{alg}), jwt.WithTimeFunc(func() time.Time { return testNow }), jwt.WithIssuedAt())
	if err != nil {
		t.Fatalf("the assertion does not verify: %v", err)
	}
	return tok.Header, tok.Claims.(jwt.MapClaims)
}

// Independent thumbprints: RFC 7515 base64url without padding.
func wantS256(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return strings.TrimRight(base64.URLEncoding.EncodeToString(sum[:]), "=")
}

func wantSHA1(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return strings.TrimRight(base64.URLEncoding.EncodeToString(sum[:]), "=")
}

func TestSignHeader(t *testing.T) {
	t.Parallel()
	rsaCred := &Credential{Key: rsaKeyA()}
	rsaCred.Leaf = newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"})
	rsaCred.Chain = []*x509.Certificate{rsaCred.Leaf}
	ch := newChain(t, newECKey(t, elliptic.P256()))
	ecCred := &Credential{Leaf: ch.leaf, Chain: []*x509.Certificate{ch.leaf, ch.intermediate, ch.root}, Key: ch.key}
	p384 := newECKey(t, elliptic.P384())
	p384Cred := &Credential{Leaf: newCert(t, p384, certSpec{cn: "p384"}), Key: p384}
	s256, sha1 := wantS256(rsaCred.Leaf), wantSHA1(rsaCred.Leaf)
	tests := map[string]struct {
		cred *Credential
		opts Options
		want map[string]any
	}{
		"RSA default is RS256 with x5t#S256 and x5t": {
			cred: rsaCred, want: map[string]any{"alg": "RS256", "typ": "JWT", "x5t#S256": s256, "x5t": sha1},
		},
		"PS256 sends x5t#S256": {
			cred: rsaCred, opts: Options{Alg: "PS256"}, want: map[string]any{"alg": "PS256", "typ": "JWT", "x5t#S256": s256},
		},
		"RS256 with x5t only (AD FS)": {
			cred: rsaCred, opts: Options{Alg: "RS256", Header: HeaderX5T}, want: map[string]any{"alg": "RS256", "typ": "JWT", "x5t": sha1},
		},
		"RS256 with x5t#S256 only": {
			cred: rsaCred, opts: Options{Alg: "RS256", Header: HeaderX5TS256}, want: map[string]any{"alg": "RS256", "typ": "JWT", "x5t#S256": s256},
		},
		"PS256 with both": {
			cred: rsaCred, opts: Options{Alg: "PS256", Header: HeaderBoth},
			want: map[string]any{"alg": "PS256", "typ": "JWT", "x5t#S256": s256, "x5t": sha1},
		},
		"kid defaults to the SHA-256 thumbprint": {
			cred: rsaCred, opts: Options{Alg: "PS256", Header: HeaderKID}, want: map[string]any{"alg": "PS256", "typ": "JWT", "kid": s256},
		},
		"explicit kid in kid mode": {
			cred: rsaCred, opts: Options{Alg: "PS256", Header: HeaderKID, KID: "key-1"}, want: map[string]any{"alg": "PS256", "typ": "JWT", "kid": "key-1"},
		},
		"explicit kid beside the thumbprint": {
			cred: rsaCred, opts: Options{Alg: "PS256", KID: "key-1"},
			want: map[string]any{"alg": "PS256", "typ": "JWT", "kid": "key-1", "x5t#S256": s256},
		},
		"EC P-256 is ES256, x5c is the chain leaf first": {
			cred: ecCred, opts: Options{X5C: true},
			want: map[string]any{"alg": "ES256", "typ": "JWT", "x5t#S256": wantS256(ch.leaf), "x5c": []any{
				base64.StdEncoding.EncodeToString(ch.leaf.Raw),
				base64.StdEncoding.EncodeToString(ch.intermediate.Raw),
				base64.StdEncoding.EncodeToString(ch.root.Raw),
			}},
		},
		"EC P-384 is ES384": {
			cred: p384Cred, opts: Options{Alg: "ES384"}, want: map[string]any{"alg": "ES384", "typ": "JWT", "x5t#S256": wantS256(p384Cred.Leaf)},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tc.opts.Now = func() time.Time { return testNow }
			s, err := NewSigner(tc.cred, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Sign(testClientID, testTokenURL)
			if err != nil {
				t.Fatal(err)
			}
			header, _ := parseJWT(t, a.Reveal(), tc.cred.Key.Public(), s.Alg())
			if diff := cmp.Diff(tc.want, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignClaims(t *testing.T) {
	t.Parallel()
	key := newECKey(t, elliptic.P256())
	cred := &Credential{Leaf: newCert(t, key, certSpec{cn: "ec.example"}), Key: key}
	iat := float64(testNow.Unix())
	tests := map[string]struct {
		audience []string
		lifetime time.Duration
		want     jwt.MapClaims
	}{
		"one audience is a string, exp is 5 minutes": {
			audience: []string{testTokenURL},
			want: jwt.MapClaims{"iss": testClientID, "sub": testClientID, "aud": testTokenURL,
				"iat": iat, "nbf": iat, "exp": iat + 300},
		},
		"two audiences are an array": {
			audience: []string{testTokenURL, "https://login.example/tenant/v2.0"},
			want: jwt.MapClaims{"iss": testClientID, "sub": testClientID, "aud": []any{testTokenURL, "https://login.example/tenant/v2.0"},
				"iat": iat, "nbf": iat, "exp": iat + 300},
		},
		"lifetime": {
			audience: []string{testTokenURL}, lifetime: 10 * time.Minute,
			want: jwt.MapClaims{"iss": testClientID, "sub": testClientID, "aud": testTokenURL,
				"iat": iat, "nbf": iat, "exp": iat + 600},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := NewSigner(cred, Options{Lifetime: tc.lifetime, Now: func() time.Time { return testNow }})
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Sign(testClientID, tc.audience...)
			if err != nil {
				t.Fatal(err)
			}
			_, claims := parseJWT(t, a.Reveal(), key.Public(), "ES256")
			if jti, _ := claims["jti"].(string); !uuidV4.MatchString(jti) {
				t.Errorf("jti = %q, want a random UUID", claims["jti"])
			}
			if diff := cmp.Diff(tc.want, claims, cmpopts.IgnoreMapEntries(func(k string, _ any) bool { return k == "jti" })); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignIsFreshEveryTime(t *testing.T) {
	t.Parallel()
	key := newECKey(t, elliptic.P256())
	s, err := NewSigner(&Credential{Leaf: newCert(t, key, certSpec{cn: "ec.example"}), Key: key},
		Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	jtis, assertions := map[string]bool{}, map[string]bool{}
	for range 100 {
		a, err := s.Sign(testClientID, testTokenURL)
		if err != nil {
			t.Fatal(err)
		}
		_, claims := parseJWT(t, a.Reveal(), key.Public(), "ES256")
		jtis[claims["jti"].(string)] = true
		assertions[a.Reveal()] = true
	}
	if len(jtis) != 100 || len(assertions) != 100 {
		t.Errorf("100 signatures gave %d jtis and %d assertions, want 100 of each", len(jtis), len(assertions))
	}
}

func TestSignRefusesAnExpiredCertificate(t *testing.T) {
	t.Parallel()
	key := newECKey(t, elliptic.P256())
	cred := &Credential{Leaf: newCert(t, key, certSpec{cn: "ec.example", notAfter: testNow}), Key: key, Path: "/certs/app.pem"}
	s, err := NewSigner(cred, Options{Now: func() time.Time { return testNow.Add(time.Minute) }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Sign(testClientID, testTokenURL)
	want := `key client_certificate: /certs/app.pem: certificate "CN=ec.example" expired on 2026-11-21 12:00:00 UTC`
	if err == nil || err.Error() != want {
		t.Errorf("Sign() = %v, want %q", err, want)
	}
	if _, err := s.Sign("", testTokenURL); err == nil {
		t.Errorf("Sign without a client id succeeded")
	}
}

func TestNewSignerErrors(t *testing.T) {
	t.Parallel()
	rsaCred := &Credential{Leaf: newCert(t, rsaKeyA(), certSpec{cn: "rsa"}), Key: rsaKeyA()}
	ec := newECKey(t, elliptic.P256())
	ecCred := &Credential{Leaf: newCert(t, ec, certSpec{cn: "ec"}), Key: ec}
	tests := map[string]struct {
		cred    *Credential
		opts    Options
		wantErr string
	}{
		"EC key with PS256":  {cred: ecCred, opts: Options{Alg: "PS256"}, wantErr: "client_assertion_alg PS256 does not suit an EC P-256 key (want ES256)"},
		"EC key with RS256":  {cred: ecCred, opts: Options{Alg: "RS256"}, wantErr: "client_assertion_alg RS256 does not suit an EC P-256 key (want ES256)"},
		"P-256 with ES384":   {cred: ecCred, opts: Options{Alg: "ES384"}, wantErr: "does not suit an EC P-256 key (want ES256)"},
		"RSA key with ES256": {cred: rsaCred, opts: Options{Alg: "ES256"}, wantErr: "client_assertion_alg ES256 does not suit an RSA key (want PS256 or RS256)"},
		"HS256":              {cred: rsaCred, opts: Options{Alg: "HS256"}, wantErr: "client_assertion_alg HS256 does not suit an RSA key"},
		"unknown header":     {cred: rsaCred, opts: Options{Header: "x5u"}, wantErr: `unknown header "x5u" (want x5t#S256, x5t, both or kid)`},
		"lifetime too long":  {cred: rsaCred, opts: Options{Lifetime: time.Hour}, wantErr: "assertion lifetime 1h0m0s out of range"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewSigner(tc.cred, tc.opts); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewSigner() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestThumbprints(t *testing.T) {
	t.Parallel()
	c := newCert(t, newECKey(t, elliptic.P256()), certSpec{cn: "x"})
	got := []string{ThumbprintS256(c), ThumbprintSHA1(c)}
	want := []string{wantS256(c), wantSHA1(c)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("thumbprints (-want +got):\n%s", diff)
	}
	if len(got[0]) != 43 || len(got[1]) != 27 || strings.ContainsAny(got[0]+got[1], "=+/") {
		t.Errorf("thumbprints %q are not unpadded base64url of 32 and 20 bytes", got)
	}
}
