package assertion

import (
	"crypto"
	"crypto/elliptic"
	"testing"

	"github.com/keyfob/keyfob/plugin"
	"software.sslmate.com/src/go-pkcs12"
)

// FuzzLoadCertificate feeds the PEM/PFX loader arbitrary files and
// passwords. It must never panic, and whatever it accepts must be usable:
// a leaf first in the chain, a key that belongs to it, a Signer.
func FuzzLoadCertificate(f *testing.F) {
	rsaLeaf := newCert(f, rsaKeyA(), certSpec{cn: "rsa.example"})
	ec := newECKey(f, elliptic.P256())
	ch := newChain(f, ec)
	seeds := []struct {
		data     []byte
		password string
	}{
		{join(certPEM(rsaLeaf), pkcs1PEM(rsaKeyA())), ""},
		{join(pkcs8PEM(f, ec), certPEM(ch.leaf), certPEM(ch.intermediate)), ""},
		{join(certPEM(ch.leaf), sec1PEM(f, ec)), "ignored"},
		{join(certPEM(rsaLeaf), legacyEncryptedPEM()), ""},
		{join(certPEM(rsaLeaf), pkcs1PEM(rsaKeyB())), ""},
		{pfx(f, pkcs12.Modern, ec, "pw", ch.leaf, ch.intermediate, ch.root), "pw"},
		{pfx(f, pkcs12.Legacy, rsaKeyA(), "pw", rsaLeaf), "pw"},
		{pfx(f, pkcs12.Passwordless, ec, "", ch.leaf), ""},
		{pfx(f, pkcs12.Modern, ec, "pw", ch.leaf), "wrong"},
		{rsaLeaf.Raw, ""},
		{[]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"), ""},
		{nil, ""},
	}
	for _, s := range seeds {
		f.Add(s.data, s.password)
	}
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		c, err := Parse(data, plugin.NewSecret(password))
		if err != nil {
			if c != nil {
				t.Errorf("Parse returned a credential with error %v", err)
			}
			return
		}
		if len(c.Chain) == 0 || c.Chain[0] != c.Leaf {
			t.Fatalf("the chain does not start with the leaf")
		}
		pub, ok := c.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
		if !ok || !pub.Equal(c.Leaf.PublicKey) {
			t.Fatalf("the key does not belong to the leaf")
		}
		_ = c.CheckValidity(testNow)
		if _, err := NewSigner(c, Options{}); err != nil {
			t.Errorf("NewSigner() on an accepted credential: %v", err)
		}
	})
}
