package assertion

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// errLegacyEncrypted refuses OpenSSL's legacy PEM encryption (RFC 1423,
// "Proc-Type: 4,ENCRYPTED" and "DEK-Info"): it is weak, and Go deprecated
// its decryption.
var errLegacyEncrypted = errors.New("the private key is encrypted with legacy PEM encryption (DEK-Info), " +
	"which keyfob does not read; convert the certificate and key to a PFX file " +
	"(openssl pkcs12 -export) and set client_certificate_password")

// errPKCS8Encrypted refuses an encrypted PKCS#8 key, which the standard
// library cannot decrypt.
var errPKCS8Encrypted = errors.New("the private key is an encrypted PKCS#8 key (ENCRYPTED PRIVATE KEY), " +
	"which keyfob does not read; convert the certificate and key to a PFX file " +
	"(openssl pkcs12 -export) and set client_certificate_password")

// parsePEM reads every CERTIFICATE block and exactly one private key:
// PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or SEC 1 ("EC PRIVATE
// KEY"). Other blocks (EC PARAMETERS, for one) are skipped.
func parsePEM(data []byte) ([]*x509.Certificate, any, error) {
	var certs []*x509.Certificate
	var key any
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch {
		case block.Type == "CERTIFICATE":
			c, err := x509.ParseCertificate(block.Bytes)
			if err != nil {
				return nil, nil, fmt.Errorf("certificate %d: %v", len(certs)+1, err)
			}
			certs = append(certs, c)
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			if key != nil {
				return nil, nil, errors.New("more than one private key in the PEM file")
			}
			k, err := parsePEMKey(block)
			if err != nil {
				return nil, nil, err
			}
			key = k
		}
	}
	switch {
	case len(certs) == 0:
		return nil, nil, errors.New("no CERTIFICATE block in the PEM file")
	case key == nil:
		return nil, nil, errors.New("no private key in the PEM file (it must hold the certificate and its key)")
	}
	return certs, key, nil
}

// parsePEMKey parses one private key block.
func parsePEMKey(block *pem.Block) (any, error) {
	if _, ok := block.Headers["DEK-Info"]; ok || strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
		return nil, errLegacyEncrypted
	}
	var key any
	var err error
	switch block.Type {
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(block.Bytes)
	case "ENCRYPTED PRIVATE KEY":
		return nil, errPKCS8Encrypted
	default:
		return nil, fmt.Errorf("unsupported PEM block %q (want PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)", block.Type)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v", block.Type, err)
	}
	return key, nil
}
