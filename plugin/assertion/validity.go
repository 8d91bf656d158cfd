package assertion

import (
	"crypto/x509"
	"fmt"
	"time"
)

// dateFormat shows validity bounds in messages.
const dateFormat = "2006-01-02 15:04:05 UTC"

// CheckValidity reports a leaf certificate outside its validity period at
// now: expired, or not valid yet. A server rejects an assertion signed
// with such a key (Entra: AADSTS700027), so it is refused up front.
func (c *Credential) CheckValidity(now time.Time) error {
	switch {
	case now.After(c.Leaf.NotAfter):
		return fmt.Errorf("certificate %s expired on %s", subject(c.Leaf), c.Leaf.NotAfter.UTC().Format(dateFormat))
	case now.Before(c.Leaf.NotBefore):
		return fmt.Errorf("certificate %s is not valid before %s", subject(c.Leaf), c.Leaf.NotBefore.UTC().Format(dateFormat))
	}
	return nil
}

// describe names the credential for messages: its file, else its subject.
func (c *Credential) describe() string {
	if c.Path != "" {
		return c.Path
	}
	return subject(c.Leaf)
}

// subject names a certificate in messages.
func subject(c *x509.Certificate) string {
	if s := c.Subject.String(); s != "" {
		return `"` + s + `"`
	}
	return "with serial number " + c.SerialNumber.String()
}
