package assertion

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// Fixtures are made here, in the tests: no private key is committed.

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// RSA keys are slow to generate under -race, so the tests share two.
var (
	rsaKeyA = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
	rsaKeyB = sync.OnceValue(func() *rsa.PrivateKey { return mustRSA() })
)

func mustRSA() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

func newECKey(t testing.TB, curve elliptic.Curve) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(curve, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func newEd25519Key(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// certSpec describes a certificate to make; zero times mean a year around
// testNow, a nil parent a self-signed certificate.
type certSpec struct {
	cn                  string
	notBefore, notAfter time.Time
	parent              *x509.Certificate
	parentKey           crypto.Signer
	isCA                bool
}

// newCert issues a certificate for key.
func newCert(t testing.TB, key crypto.Signer, spec certSpec) *x509.Certificate {
	t.Helper()
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: spec.cn},
		NotBefore:             spec.notBefore,
		NotAfter:              spec.notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: spec.isCA,
		IsCA:                  spec.isCA,
	}
	if spec.isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if tmpl.NotBefore.IsZero() {
		tmpl.NotBefore = testNow.Add(-24 * time.Hour)
	}
	if tmpl.NotAfter.IsZero() {
		tmpl.NotAfter = testNow.Add(365 * 24 * time.Hour)
	}
	parent, parentKey := tmpl, key
	if spec.parent != nil {
		parent, parentKey = spec.parent, spec.parentKey
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// chain is a leaf issued by an intermediate issued by a root, with the
// leaf's key.
type chain struct {
	leaf, intermediate, root *x509.Certificate
	key                      crypto.Signer
}

func newChain(t testing.TB, leafKey crypto.Signer) chain {
	t.Helper()
	rootKey, interKey := newECKey(t, elliptic.P256()), newECKey(t, elliptic.P256())
	root := newCert(t, rootKey, certSpec{cn: "Test Root", isCA: true})
	inter := newCert(t, interKey, certSpec{cn: "Test Intermediate", isCA: true, parent: root, parentKey: rootKey})
	leaf := newCert(t, leafKey, certSpec{cn: "app.example", parent: inter, parentKey: interKey})
	return chain{leaf: leaf, intermediate: inter, root: root, key: leafKey}
}

// PEM blocks.

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

func pkcs8PEM(t testing.TB, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func pkcs1PEM(key *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

func sec1PEM(t testing.TB, key *ecdsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
}

// legacyEncryptedPEM is a key block as `openssl genrsa -aes256` (OpenSSL
// 1.x) writes it; the content is never decrypted, so random bytes do.
func legacyEncryptedPEM() []byte {
	body := make([]byte, 64)
	_, _ = rand.Read(body)
	return pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: body, Headers: map[string]string{
		"Proc-Type": "4,ENCRYPTED", "DEK-Info": "AES-256-CBC,00112233445566778899AABBCCDDEEFF",
	}})
}

func join(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// pfx encodes key and certs (leaf first) with enc.
func pfx(t testing.TB, enc *pkcs12.Encoder, key crypto.Signer, password string, certs ...*x509.Certificate) []byte {
	t.Helper()
	data, err := enc.Encode(key, certs[0], certs[1:], password)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// writeFile writes data to a new file in a temporary directory.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	return writeFileAt(t, filepath.Join(t.TempDir(), name), data)
}

// writeFileAt writes data to path and returns path.
func writeFileAt(t testing.TB, path string, data []byte) string {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// lookOpenSSL returns the openssl command, or skips the test.
func lookOpenSSL(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl is not installed")
	}
	return path
}

// runOpenSSL runs openssl with args and returns its combined output.
func runOpenSSL(openssl string, args ...string) (string, error) {
	out, err := exec.Command(openssl, args...).CombinedOutput()
	return string(out), err
}
