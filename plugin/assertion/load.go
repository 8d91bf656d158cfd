package assertion

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/keyfob/keyfob/plugin/secretref"

	"github.com/keyfob/keyfob/plugin"
)

// maxFileSize bounds a certificate file; real ones are a few KiB.
const maxFileSize = 1 << 20

// Credential is a client certificate and its private key, loaded from one
// file. The key is known to belong to Leaf. A Credential is read-only after
// loading and safe for concurrent use.
type Credential struct {
	// Leaf is the certificate whose public key is Key's.
	Leaf *x509.Certificate
	// Chain is Leaf followed by the other certificates of the file, in
	// file order (for the x5c header).
	Chain []*x509.Certificate
	// Key is the private key: *rsa.PrivateKey or *ecdsa.PrivateKey.
	Key crypto.Signer
	// Path is the file it was loaded from; "" for Parse.
	Path string
}

// Load reads a PEM or PKCS#12 (PFX) file holding a certificate and its
// private key; password opens a PFX and is ignored for PEM. Errors wrap
// plugin.ErrConfig and name the file, never the password.
func Load(path string, password plugin.Secret) (*Credential, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, plugin.Configf("key %s: %v", KeyCertificate, err)
	}
	c, err := Parse(data, password)
	if err != nil {
		return nil, plugin.Configf("key %s: %s: %v", KeyCertificate, path, err)
	}
	c.Path = path
	return c, nil
}

// readFile reads the regular file path, at most maxFileSize bytes; a
// FIFO or device is refused without blocking on it.
func readFile(path string) ([]byte, error) {
	return secretref.ReadFile(path, maxFileSize)
}

// Parse reads a certificate and its private key from PEM text or DER
// PKCS#12 data, picks the certificate that belongs to the key as the leaf,
// and checks the key type. It does not check the validity period (see
// Credential.CheckValidity). Its errors are plain one-line descriptions.
func Parse(data []byte, password plugin.Secret) (*Credential, error) {
	var certs []*x509.Certificate
	var key any
	var err error
	if isPEM(data) {
		certs, key, err = parsePEM(data)
	} else {
		certs, key, err = parsePFX(data, password)
	}
	if err != nil {
		return nil, err
	}
	signer, err := checkKey(key)
	if err != nil {
		return nil, err
	}
	return match(certs, signer)
}

// isPEM reports whether data looks like PEM text rather than DER.
func isPEM(data []byte) bool { return bytes.Contains(data, []byte("-----BEGIN ")) }

// checkKey accepts the key types assertions can be signed with.
func checkKey(key any) (crypto.Signer, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		if _, ok := curveAlgs[k.Curve]; !ok {
			return nil, fmt.Errorf("EC key on curve %s is not supported (want P-256, P-384 or P-521)", k.Curve.Params().Name)
		}
		return k, nil
	}
	return nil, fmt.Errorf("%T keys are not supported for client assertions (want RSA or EC)", key)
}

// errMismatch reports a key that belongs to none of the certificates.
var errMismatch = errors.New("the private key does not belong to the certificate")

// match finds the certificate of key and puts it first.
func match(certs []*x509.Certificate, key crypto.Signer) (*Credential, error) {
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil, fmt.Errorf("%T keys are not supported", key)
	}
	for i, c := range certs {
		if pub.Equal(c.PublicKey) {
			chain := append([]*x509.Certificate{c}, certs[:i]...)
			chain = append(chain, certs[i+1:]...)
			return &Credential{Leaf: c, Chain: chain, Key: key}, nil
		}
	}
	if len(certs) == 1 {
		return nil, fmt.Errorf("%w %s", errMismatch, subject(certs[0]))
	}
	return nil, fmt.Errorf("the private key belongs to none of the %d certificates", len(certs))
}
