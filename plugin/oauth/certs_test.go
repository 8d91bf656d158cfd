package oauth

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/keyfob/keyfob/plugin/assertion"
)

// Client certificates for the private_key_jwt tests, made here: no private
// key is committed.

// testRSAKey is shared: RSA keys are slow to generate under -race.
var testRSAKey = sync.OnceValue(func() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
})

// testCert is a self-signed certificate for key, valid from notBefore to
// notAfter.
func testCert(t *testing.T, key crypto.Signer, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "app.example"},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// testCertFile writes key and a certificate valid from notBefore to
// notAfter to a PEM file and returns its path.
func testCertFile(t *testing.T, key crypto.Signer, notBefore, notAfter time.Time) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: testCert(t, key, notBefore, notAfter).Raw})
	data = append(data, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})...)
	path := filepath.Join(t.TempDir(), "client.pem")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testSigner is an ES256 signer on the tests' clock, and its public key.
func testSigner(t *testing.T) (*assertion.Signer, crypto.PublicKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := testCert(t, key, testNow.Add(-time.Hour), testNow.Add(time.Hour))
	s, err := assertion.NewSigner(&assertion.Credential{Leaf: leaf, Chain: []*x509.Certificate{leaf}, Key: key},
		assertion.Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s, key.Public()
}

// verifyAssertion checks an assertion's signature with pub at testNow and
// returns its claims.
func verifyAssertion(t *testing.T, s string, pub crypto.PublicKey) jwt.MapClaims {
	t.Helper()
	tok, err := jwt.Parse(s, func(*jwt.Token) (any, error) { return pub, nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithTimeFunc(func() time.Time { return testNow }))
	if err != nil {
		t.Fatalf("the client assertion does not verify: %v", err)
	}
	return tok.Claims.(jwt.MapClaims)
}
