package assertion

import (
	"crypto"
	"crypto/elliptic"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestParseKey(t *testing.T) {
	t.Parallel()
	ec := newECKey(t, elliptic.P256())
	p224 := newECKey(t, elliptic.P224())
	leaf := newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"})
	tests := map[string]struct {
		data    []byte
		want    crypto.PublicKey
		wantErr string
	}{
		"PKCS#8 RSA":               {data: pkcs8PEM(t, rsaKeyA()), want: rsaKeyA().Public()},
		"PKCS#1 RSA":               {data: pkcs1PEM(rsaKeyA()), want: rsaKeyA().Public()},
		"SEC 1 EC":                 {data: sec1PEM(t, ec), want: ec.Public()},
		"key beside a certificate": {data: join(certPEM(leaf), pkcs1PEM(rsaKeyA())), want: rsaKeyA().Public()},
		"certificate only":         {data: certPEM(leaf), wantErr: "no PEM private key"},
		"two keys":                 {data: join(sec1PEM(t, ec), pkcs1PEM(rsaKeyA())), wantErr: "more than one private key"},
		"legacy encrypted":         {data: legacyEncryptedPEM(), wantErr: "legacy PEM encryption"},
		"unsupported curve":        {data: pkcs8PEM(t, p224), wantErr: "P-224 is not supported"},
		"ed25519":                  {data: pkcs8PEM(t, newEd25519Key(t)), wantErr: "keys are not supported"},
		"garbage":                  {data: []byte("not pem"), wantErr: "no PEM private key"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseKey(tc.data)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseKey() error = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseKey() = %v", err)
			}
			if pub, ok := got.Public().(interface{ Equal(crypto.PublicKey) bool }); !ok || !pub.Equal(tc.want) {
				t.Errorf("ParseKey() returned another key")
			}
		})
	}
}

func TestLoadKeyErrorsNameTheKeyAndFile(t *testing.T) {
	t.Parallel()
	bad := writeFile(t, "bad.pem", certPEM(newCert(t, rsaKeyA(), certSpec{cn: "x"})))
	tests := map[string]struct{ path, want string }{
		"missing": {path: "/nonexistent/key.pem", want: "key assertion_key: /nonexistent/key.pem: "},
		"no key":  {path: bad, want: "key assertion_key: " + bad + ": no PEM private key"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := LoadKey("assertion_key", tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("LoadKey() = %v, want a config error containing %q", err, tc.want)
			}
		})
	}
}

func TestGrantSignerSign(t *testing.T) {
	t.Parallel()
	ec := newECKey(t, elliptic.P256())
	now := func() time.Time { return testNow }
	tests := map[string]struct {
		key        crypto.Signer
		opts       GrantOptions
		claims     GrantClaims
		wantAlg    string
		wantHeader map[string]any
		wantClaims jwt.MapClaims
	}{
		"RSA default RS256, self-issued": {
			key: rsaKeyA(), opts: GrantOptions{Now: now},
			claims:     GrantClaims{Issuer: "svc", Audience: []string{"https://as.example"}},
			wantAlg:    "RS256",
			wantHeader: map[string]any{"alg": "RS256", "typ": "JWT"},
			wantClaims: jwt.MapClaims{"iss": "svc", "sub": "svc", "aud": "https://as.example"},
		},
		"PS256 with kid, two audiences": {
			key: rsaKeyA(), opts: GrantOptions{Alg: "PS256", KID: "key-1", Now: now},
			claims:     GrantClaims{Issuer: "client", Subject: "alice", Audience: []string{"https://as.example", "https://as.example/token"}},
			wantAlg:    "PS256",
			wantHeader: map[string]any{"alg": "PS256", "typ": "JWT", "kid": "key-1"},
			wantClaims: jwt.MapClaims{"iss": "client", "sub": "alice", "aud": []any{"https://as.example", "https://as.example/token"}},
		},
		"EC is ES256": {
			key: ec, opts: GrantOptions{Now: now, Lifetime: 2 * time.Minute},
			claims:     GrantClaims{Issuer: "svc", Audience: []string{"aud"}},
			wantAlg:    "ES256",
			wantHeader: map[string]any{"alg": "ES256", "typ": "JWT"},
			wantClaims: jwt.MapClaims{"iss": "svc", "sub": "svc", "aud": "aud"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := NewGrantSigner(tc.key, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			a, err := s.Sign(tc.claims)
			if err != nil {
				t.Fatal(err)
			}
			header, claims := parseJWT(t, a.Reveal(), tc.key.Public(), tc.wantAlg)
			if diff := cmp.Diff(tc.wantHeader, header); diff != "" {
				t.Errorf("header (-want +got):\n%s", diff)
			}
			lifetime := tc.opts.Lifetime
			if lifetime == 0 {
				lifetime = DefaultLifetime
			}
			want := jwt.MapClaims{"iat": float64(testNow.Unix()), "nbf": float64(testNow.Unix()),
				"exp": float64(testNow.Add(lifetime).Unix()), "jti": claims["jti"]}
			for k, v := range tc.wantClaims {
				want[k] = v
			}
			if diff := cmp.Diff(want, claims); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			again, err := s.Sign(tc.claims)
			if err != nil {
				t.Fatal(err)
			}
			_, claims2 := parseJWT(t, again.Reveal(), tc.key.Public(), tc.wantAlg)
			if claims["jti"] == "" || claims["jti"] == claims2["jti"] {
				t.Errorf("jti %v then %v, want a fresh one for every assertion", claims["jti"], claims2["jti"])
			}
		})
	}
}

func TestNewGrantSignerRefuses(t *testing.T) {
	t.Parallel()
	ec := newECKey(t, elliptic.P256())
	tests := map[string]struct {
		key     crypto.Signer
		opts    GrantOptions
		wantErr string
	}{
		"EC with PS256":  {key: ec, opts: GrantOptions{Alg: "PS256"}, wantErr: "does not suit an EC P-256 key"},
		"RSA with ES256": {key: rsaKeyA(), opts: GrantOptions{Alg: "ES256"}, wantErr: "does not suit an RSA key"},
		"long lifetime":  {key: ec, opts: GrantOptions{Lifetime: time.Hour}, wantErr: "out of range"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewGrantSigner(tc.key, tc.opts); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("NewGrantSigner() = %v, want an error containing %q", err, tc.wantErr)
			}
		})
	}
	s, err := NewGrantSigner(ec, GrantOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sign(GrantClaims{Issuer: "svc"}); err == nil {
		t.Errorf("Sign() without an audience succeeded")
	}
}

// FuzzParseKey feeds the key loader arbitrary files. It never panics, and
// a key it accepts signs a grant.
func FuzzParseKey(f *testing.F) {
	f.Add(pkcs1PEM(rsaKeyA()))
	f.Add(sec1PEM(f, newECKey(f, elliptic.P256())))
	f.Add(pkcs8PEM(f, newEd25519Key(f)))
	f.Add(legacyEncryptedPEM())
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		key, err := ParseKey(data)
		if err != nil {
			return
		}
		s, err := NewGrantSigner(key, GrantOptions{})
		if err != nil {
			t.Fatalf("NewGrantSigner() on an accepted key: %v", err)
		}
		if _, err := s.Sign(GrantClaims{Issuer: "svc", Audience: []string{"aud"}}); err != nil {
			t.Fatalf("Sign() with an accepted key: %v", err)
		}
	})
}
