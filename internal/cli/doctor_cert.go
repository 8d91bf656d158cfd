package cli

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/assertion"
)

// certWarnBefore is how long before its expiry a certificate draws a
// warning.
const certWarnBefore = 30 * 24 * time.Hour

// checkCertificate checks the client certificate — loaded, key matching,
// valid now and for a while, the assertion options suiting it — and shows
// its thumbprints; and the jwt_bearer signing key.
func (d *doctor) checkCertificate(p *profile) {
	if v := p.Values["client_certificate"]; v != "" && fileUsable(v) {
		d.checkClientCertificate(p)
	}
	if v := p.Values["assertion_key"]; v != "" && !plugin.IsReference(v) && fileUsable(v) {
		d.checkAssertionKey(v)
	}
}

// fileUsable reports whether the file a key names exists, so a missing
// one is reported once (by checkFiles).
func fileUsable(v string) bool {
	_, err := os.Stat(plugin.ExpandHome(v))
	return err == nil
}

// checkClientCertificate loads client_certificate and reports it.
func (d *doctor) checkClientCertificate(p *profile) {
	path := plugin.ExpandHome(p.Values["client_certificate"])
	password, err := plugin.ResolveSecretWith(p.Values["client_certificate_password"], d.env.lookupEnv)
	if err != nil {
		return // reported by checkSecrets
	}
	cred, err := assertion.Load(path, password)
	if err != nil {
		d.fail("certificate", err.Error(), "client_certificate must hold the certificate and its private key (PEM), or be a PFX with client_certificate_password")
		return
	}
	d.reportValidity(cred)
	d.pass("thumbprint", fmt.Sprintf("x5t#S256 %s, x5t %s, SHA-1 %s (as Entra shows it)",
		assertion.ThumbprintS256(cred.Leaf), assertion.ThumbprintSHA1(cred.Leaf), sha1Hex(cred)))
	d.checkAssertionOptions(p)
}

// reportValidity reports the certificate's validity period at d.now.
func (d *doctor) reportValidity(cred *assertion.Credential) {
	leaf := cred.Leaf
	subject := leaf.Subject.String()
	until := leaf.NotAfter.UTC().Format(time.DateTime + " UTC")
	renew := "renew it and register the new certificate with the authorization server (Entra: the app registration's Certificates & secrets)"
	if err := cred.CheckValidity(d.now); err != nil {
		d.fail("certificate", err.Error(), renew)
		return
	}
	left := leaf.NotAfter.Sub(d.now)
	detail := fmt.Sprintf("%s (%s): valid until %s, %d days left; the private key matches it", subject, keyDescription(cred.Key), until, int(left.Hours()/24))
	if left < certWarnBefore {
		d.warn("certificate", detail, renew)
		return
	}
	d.pass("certificate", detail)
}

// checkAssertionOptions builds the assertion signer as the plugin would
// (alg, header, x5c options against the key).
func (d *doctor) checkAssertionOptions(p *profile) {
	cfg, err := host.ResolveConfigWith(p.Values, d.env.lookupEnv)
	if err != nil {
		return // reported by checkSecrets
	}
	if _, err := assertion.FromConfig(plugin.Config(cfg), func() time.Time { return d.now }); err != nil && plugin.KindOf(err) == plugin.KindConfig {
		if strings.Contains(err.Error(), "expired on") || strings.Contains(err.Error(), "not valid before") {
			return // reported by reportValidity
		}
		d.fail("certificate", err.Error(), "correct client_assertion_alg, client_assertion_header or client_assertion_x5c")
	}
}

// checkAssertionKey loads jwt_bearer's assertion_key.
func (d *doctor) checkAssertionKey(v string) {
	path := plugin.ExpandHome(v)
	key, err := assertion.LoadKey("assertion_key", path)
	if err != nil {
		d.fail("key", err.Error(), "assertion_key must be a PEM private key (PKCS#8, PKCS#1 or SEC 1), RSA or EC")
		return
	}
	d.pass("key", fmt.Sprintf("assertion_key: %s", keyDescription(key)))
}

// keyDescription names a key's type and size.
func keyDescription(key crypto.Signer) string {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return fmt.Sprintf("RSA %d-bit key", k.N.BitLen())
	case *ecdsa.PrivateKey:
		return "EC " + k.Curve.Params().Name + " key"
	}
	return fmt.Sprintf("%T", key)
}

// sha1Hex is the certificate's SHA-1 in upper-case hex: the "thumbprint"
// Entra's portal and Windows show.
func sha1Hex(cred *assertion.Credential) string {
	sum := sha1.Sum(cred.Leaf.Raw) // names the certificate; protects nothing
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}
