package assertion

import (
	"crypto/x509"
	"errors"
	"fmt"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"software.sslmate.com/src/go-pkcs12"
)

// parsePFX reads a PKCS#12 file: the OpenSSL 3 default (PBES2 with
// PBKDF2 and AES-256-CBC, HMAC-SHA-256 MAC), the legacy 3DES/RC2 form
// (openssl -legacy, older Windows exports) and PBMAC1.
func parsePFX(data []byte, password plugin.Secret) ([]*x509.Certificate, any, error) {
	key, leaf, cas, err := pkcs12.DecodeChain(data, password.Reveal())
	if err != nil {
		return nil, nil, pfxError(err, password)
	}
	return append([]*x509.Certificate{leaf}, cas...), key, nil
}

// pfxError turns go-pkcs12's errors into advice. Data that is neither PEM
// nor PKCS#12 is the most likely mistake (a DER certificate without a key,
// a key file alone), so a structural failure says so.
func pfxError(err error, password plugin.Secret) error {
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword) && password.IsZero():
		return errors.New("the PFX file is password-protected; set client_certificate_password")
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return errors.New("wrong password for the PFX file (client_certificate_password)")
	case strings.Contains(err.Error(), "error reading P12 data"):
		return errors.New("neither PEM (certificate and key) nor PKCS#12/PFX")
	}
	return fmt.Errorf("PFX: %s", strings.TrimPrefix(err.Error(), "pkcs12: "))
}
