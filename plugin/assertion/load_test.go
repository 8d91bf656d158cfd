package assertion

import (
	"crypto/elliptic"
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"software.sslmate.com/src/go-pkcs12"
)

// loaded summarises a Credential for comparison.
type loaded struct {
	Leaf    string
	Chain   []string
	KeyType string
}

func summarise(c *Credential) loaded {
	out := loaded{Leaf: c.Leaf.Subject.CommonName, KeyType: fmt.Sprintf("%T", c.Key)}
	for _, x := range c.Chain {
		out.Chain = append(out.Chain, x.Subject.CommonName)
	}
	return out
}

func TestParse(t *testing.T) {
	t.Parallel()
	rsaLeaf := func(t testing.TB) *x509.Certificate { return newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"}) }
	rsaOnly := loaded{Leaf: "rsa.example", Chain: []string{"rsa.example"}, KeyType: "*rsa.PrivateKey"}
	fullChain := []string{"app.example", "Test Intermediate", "Test Root"}
	tests := map[string]struct {
		data     func(t testing.TB) []byte
		password string
		want     loaded
		wantErr  string
	}{
		"PEM: certificate and PKCS#1 key": {
			data: func(t testing.TB) []byte { return join(certPEM(rsaLeaf(t)), pkcs1PEM(rsaKeyA())) },
			want: rsaOnly,
		},
		"PEM: PKCS#8 RSA key first": {
			data: func(t testing.TB) []byte { return join(pkcs8PEM(t, rsaKeyA()), certPEM(rsaLeaf(t))) },
			want: rsaOnly,
		},
		"PEM: SEC 1 EC key with EC PARAMETERS and text around": {
			data: func(t testing.TB) []byte {
				k := newECKey(t, elliptic.P256())
				return join([]byte("subject=CN = ec.example\n"), certPEM(newCert(t, k, certSpec{cn: "ec.example"})),
					[]byte("-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n"), sec1PEM(t, k))
			},
			want: loaded{Leaf: "ec.example", Chain: []string{"ec.example"}, KeyType: "*ecdsa.PrivateKey"},
		},
		"PEM: PKCS#8 EC P-384 key": {
			data: func(t testing.TB) []byte {
				k := newECKey(t, elliptic.P384())
				return join(certPEM(newCert(t, k, certSpec{cn: "p384.example"})), pkcs8PEM(t, k))
			},
			want: loaded{Leaf: "p384.example", Chain: []string{"p384.example"}, KeyType: "*ecdsa.PrivateKey"},
		},
		"PEM: chain in any order, leaf found by its key": {
			data: func(t testing.TB) []byte {
				c := newChain(t, newECKey(t, elliptic.P256()))
				return join(certPEM(c.intermediate), certPEM(c.leaf), pkcs8PEM(t, c.key), certPEM(c.root))
			},
			want: loaded{Leaf: "app.example", Chain: []string{"app.example", "Test Intermediate", "Test Root"}, KeyType: "*ecdsa.PrivateKey"},
		},
		"PEM: a password is ignored": {
			data:     func(t testing.TB) []byte { return join(certPEM(rsaLeaf(t)), pkcs1PEM(rsaKeyA())) },
			password: "unused",
			want:     rsaOnly,
		},
		"PFX: OpenSSL 3 default (Modern)": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.Modern, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "pw",
			want:     rsaOnly,
		},
		"PFX: legacy 3DES": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.Legacy, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "pw",
			want:     rsaOnly,
		},
		"PFX: legacy RC2": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.LegacyRC2, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "pw",
			want:     rsaOnly,
		},
		"PFX: PBMAC1 (Modern2026)": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.Modern2026, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "pw",
			want:     rsaOnly,
		},
		"PFX: without a password": {
			data: func(t testing.TB) []byte { return pfx(t, pkcs12.Passwordless, rsaKeyA(), "", rsaLeaf(t)) },
			want: rsaOnly,
		},
		"PFX: EC key with its chain": {
			data: func(t testing.TB) []byte {
				c := newChain(t, newECKey(t, elliptic.P256()))
				return pfx(t, pkcs12.Modern, c.key, "pw", c.leaf, c.intermediate, c.root)
			},
			password: "pw",
			want:     loaded{Leaf: "app.example", Chain: fullChain, KeyType: "*ecdsa.PrivateKey"},
		},
		"PFX: leaf not first": {
			data: func(t testing.TB) []byte {
				c := newChain(t, newECKey(t, elliptic.P256()))
				return pfx(t, pkcs12.Modern, c.key, "pw", c.root, c.leaf, c.intermediate)
			},
			password: "pw",
			want:     loaded{Leaf: "app.example", Chain: []string{"app.example", "Test Root", "Test Intermediate"}, KeyType: "*ecdsa.PrivateKey"},
		},
		"PEM: legacy encrypted key refused": {
			data:    func(t testing.TB) []byte { return join(certPEM(rsaLeaf(t)), legacyEncryptedPEM()) },
			wantErr: "the private key is encrypted with legacy PEM encryption (DEK-Info), which keyfob does not read; convert",
		},
		"PEM: encrypted PKCS#8 refused": {
			data: func(t testing.TB) []byte {
				return join(certPEM(rsaLeaf(t)), []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"))
			},
			wantErr: "encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY)",
		},
		"PEM: key of another certificate": {
			data:    func(t testing.TB) []byte { return join(certPEM(rsaLeaf(t)), pkcs1PEM(rsaKeyB())) },
			wantErr: `the private key does not belong to the certificate "CN=rsa.example"`,
		},
		"PEM: key of none of the certificates": {
			data: func(t testing.TB) []byte {
				c := newChain(t, newECKey(t, elliptic.P256()))
				return join(certPEM(c.leaf), certPEM(c.intermediate), pkcs8PEM(t, newECKey(t, elliptic.P256())))
			},
			wantErr: "the private key belongs to none of the 2 certificates",
		},
		"PEM: certificate without key": {
			data:    func(t testing.TB) []byte { return certPEM(rsaLeaf(t)) },
			wantErr: "no private key in the PEM file",
		},
		"PEM: key without certificate": {
			data:    func(t testing.TB) []byte { return pkcs1PEM(rsaKeyA()) },
			wantErr: "no CERTIFICATE block in the PEM file",
		},
		"PEM: two keys": {
			data:    func(t testing.TB) []byte { return join(certPEM(rsaLeaf(t)), pkcs1PEM(rsaKeyA()), pkcs1PEM(rsaKeyA())) },
			wantErr: "more than one private key",
		},
		"PEM: Ed25519 key": {
			data: func(t testing.TB) []byte {
				k := newEd25519Key(t)
				return join(certPEM(newCert(t, k, certSpec{cn: "ed.example"})), pkcs8PEM(t, k))
			},
			wantErr: "ed25519.PrivateKey keys are not supported for client assertions (want RSA or EC)",
		},
		"PEM: EC P-224 key": {
			data: func(t testing.TB) []byte {
				k := newECKey(t, elliptic.P224())
				return join(certPEM(newCert(t, k, certSpec{cn: "p224.example"})), sec1PEM(t, k))
			},
			wantErr: "EC key on curve P-224 is not supported",
		},
		"PEM: broken certificate": {
			data: func(t testing.TB) []byte {
				return []byte("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n")
			},
			wantErr: "certificate 1: x509:",
		},
		"PFX: wrong password": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.Modern, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "nope",
			wantErr:  "wrong password for the PFX file (client_certificate_password)",
		},
		"PFX: legacy, wrong password": {
			data:     func(t testing.TB) []byte { return pfx(t, pkcs12.Legacy, rsaKeyA(), "pw", rsaLeaf(t)) },
			password: "nope",
			wantErr:  "wrong password for the PFX file",
		},
		"PFX: password missing": {
			data:    func(t testing.TB) []byte { return pfx(t, pkcs12.Modern, rsaKeyA(), "pw", rsaLeaf(t)) },
			wantErr: "the PFX file is password-protected; set client_certificate_password",
		},
		"DER certificate alone": {
			data:    func(t testing.TB) []byte { return rsaLeaf(t).Raw },
			wantErr: "neither PEM (certificate and key) nor PKCS#12/PFX",
		},
		"empty": {
			data:    func(testing.TB) []byte { return nil },
			wantErr: "neither PEM (certificate and key) nor PKCS#12/PFX",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.data(t), plugin.NewSecret(tc.password))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("Parse() error = %v, want one containing %q", err, tc.wantErr)
				}
				if tc.password != "" && strings.Contains(err.Error(), tc.password) {
					t.Errorf("the error shows the password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() = %v", err)
			}
			if diff := cmp.Diff(tc.want, summarise(got)); diff != "" {
				t.Errorf("Parse() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	t.Parallel()
	good := join(certPEM(newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"})), pkcs1PEM(rsaKeyA()))
	goodPath := writeFile(t, "app.pem", good)
	badPath := writeFile(t, "bad.pem", certPEM(newCert(t, rsaKeyA(), certSpec{cn: "rsa.example"})))
	bigPath := writeFile(t, "big.pfx", make([]byte, maxFileSize+1))
	missing := filepath.Join(t.TempDir(), "missing.pfx")
	tests := map[string]struct {
		path    string
		wantErr string
	}{
		"good":        {path: goodPath},
		"bad":         {path: badPath, wantErr: "key client_certificate: " + badPath + ": no private key in the PEM file"},
		"missing":     {path: missing, wantErr: "key client_certificate: " + missing + ": no such file or directory"},
		"too large":   {path: bigPath, wantErr: "key client_certificate: " + bigPath + ": larger than 1048576 bytes"},
		"a directory": {path: t.TempDir(), wantErr: "is not a regular file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := Load(tc.path, plugin.Secret{})
			if tc.wantErr == "" {
				if err != nil || c.Path != tc.path {
					t.Fatalf("Load() = %v, %v; want a credential with Path %s", c, err, tc.path)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("Load() error = %v, want a config error containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestCheckValidity(t *testing.T) {
	t.Parallel()
	c := &Credential{Leaf: newCert(t, newECKey(t, elliptic.P256()), certSpec{
		cn: "app.example", notBefore: testNow, notAfter: testNow.Add(time.Hour),
	})}
	tests := map[string]struct {
		now     time.Time
		wantErr string
	}{
		"at NotBefore":     {now: testNow},
		"at NotAfter":      {now: testNow.Add(time.Hour)},
		"expired":          {now: testNow.Add(time.Hour + time.Second), wantErr: `certificate "CN=app.example" expired on 2026-11-21 13:00:00 UTC`},
		"not yet valid":    {now: testNow.Add(-time.Second), wantErr: `certificate "CN=app.example" is not valid before 2026-11-21 12:00:00 UTC`},
		"local time zones": {now: testNow.Add(2 * time.Hour).In(time.FixedZone("X", 3600)), wantErr: "expired on 2026-11-21 13:00:00 UTC"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := c.CheckValidity(tc.now)
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tc.wantErr && (tc.wantErr == "" || !strings.Contains(got, tc.wantErr)) {
				t.Errorf("CheckValidity() = %q, want %q", got, tc.wantErr)
			}
		})
	}
}

func TestLoadOpenSSLPFX(t *testing.T) {
	t.Parallel()
	openssl := lookOpenSSL(t)
	dir := t.TempDir()
	key := rsaKeyA()
	pemPath := filepath.Join(dir, "app.pem")
	if err := os.WriteFile(pemPath, join(certPEM(newCert(t, key, certSpec{cn: "openssl.example"})), pkcs8PEM(t, key)), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string][]string{
		"OpenSSL 3 default": nil,
		"OpenSSL -legacy":   {"-legacy"},
	}
	for name, extra := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "app.pfx")
			args := append([]string{"pkcs12", "-export", "-in", pemPath, "-out", out, "-passout", "pass:s3cret"}, extra...)
			if msg, err := runOpenSSL(openssl, args...); err != nil {
				t.Skipf("openssl %s failed (no legacy provider?): %v\n%s", strings.Join(args, " "), err, msg)
			}
			c, err := Load(out, plugin.NewSecret("s3cret"))
			if err != nil {
				t.Fatal(err)
			}
			if c.Leaf.Subject.CommonName != "openssl.example" || !key.PublicKey.Equal(c.Key.Public()) {
				t.Errorf("Load() = leaf %s, want openssl.example with the original key", c.Leaf.Subject)
			}
		})
	}
}
