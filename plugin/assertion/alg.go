package assertion

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"

	"github.com/golang-jwt/jwt/v5"
)

// rsaAlgs are the algorithms for RSA keys. PS256 signs with PSS and a
// salt as long as the hash, which Entra accepts (MSAL uses the same
// library).
var rsaAlgs = map[string]jwt.SigningMethod{
	"RS256": jwt.SigningMethodRS256,
	"PS256": jwt.SigningMethodPS256,
}

// curveAlgs is the one algorithm for each EC curve (RFC 7518 §3.4).
var curveAlgs = map[elliptic.Curve]jwt.SigningMethod{
	elliptic.P256(): jwt.SigningMethodES256,
	elliptic.P384(): jwt.SigningMethodES384,
	elliptic.P521(): jwt.SigningMethodES512,
}

// signingMethod returns the method for alg, which must suit key; ""
// picks RS256 for RSA and the curve's alg for EC. Errors name alg as the
// configuration key name gives it.
func signingMethod(key crypto.Signer, alg, name string) (jwt.SigningMethod, error) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if alg == "" {
			return jwt.SigningMethodRS256, nil
		}
		if m, ok := rsaAlgs[alg]; ok {
			return m, nil
		}
		return nil, fmt.Errorf("%s %s does not suit an RSA key (want PS256 or RS256)", name, alg)
	case *ecdsa.PrivateKey:
		m, ok := curveAlgs[k.Curve]
		if !ok {
			return nil, errors.New("EC key on an unsupported curve")
		}
		if alg == "" || alg == m.Alg() {
			return m, nil
		}
		return nil, fmt.Errorf("%s %s does not suit an EC %s key (want %s)", name, alg, k.Curve.Params().Name, m.Alg())
	}
	return nil, fmt.Errorf("%T keys are not supported", key)
}
