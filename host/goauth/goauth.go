package goauth

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
)

// Credential is one credential set: the URL prefixes it applies to and the
// headers the go command sends to them. Header holds secrets: never log
// it.
type Credential struct {
	// Prefixes are https:// URLs.
	Prefixes []string
	// Header holds the header lines, e.g. Authorization, under their
	// canonical names (an http.Header converts either way; this package
	// does not link net/http, so the lean front can link it).
	Header map[string][]string
}

// Bearer returns a credential sending "Authorization: Bearer <token>" to
// prefixes.
func Bearer(token string, prefixes ...string) Credential {
	return Credential{Prefixes: prefixes, Header: map[string][]string{"Authorization": {"Bearer " + token}}}
}

// String describes the credential without its header values.
func (c Credential) String() string {
	names := make([]string, 0, len(c.Header))
	for k := range c.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	return fmt.Sprintf("goauth.Credential{%s: headers %s redacted}", strings.Join(c.Prefixes, " "), strings.Join(names, ", "))
}

// GoString is String, so %#v redacts too.
func (c Credential) GoString() string { return c.String() }

// Write writes the credential sets in GOAUTH's output format, header names
// in sorted order. A set without prefixes or headers, a prefix that is not
// an https URL, or a header line the go command would reject is an error,
// and nothing is written.
func Write(w io.Writer, creds ...Credential) error {
	var b strings.Builder
	for _, c := range creds {
		if err := writeCredential(&b, c); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCredential(b *strings.Builder, c Credential) error {
	if len(c.Prefixes) == 0 || len(c.Header) == 0 {
		return errors.New("goauth: a credential set needs at least one prefix and one header")
	}
	for _, p := range c.Prefixes {
		if err := checkPrefix(p); err != nil {
			return err
		}
		b.WriteString(p + "\n")
	}
	b.WriteString("\n")
	names := make([]string, 0, len(c.Header))
	for k := range c.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		for _, v := range c.Header[k] {
			if !validHeaderName(k) || !validHeaderValue(v) || strings.TrimSpace(v) != v || v == "" {
				return fmt.Errorf("goauth: header %q has a name or value the go command rejects", k)
			}
			b.WriteString(k + ": " + v + "\n")
		}
	}
	b.WriteString("\n")
	return nil
}

// checkPrefix accepts an absolute https URL on one line, as the go command
// parses it (url.ParseRequestURI).
func checkPrefix(p string) error {
	u, err := url.ParseRequestURI(p)
	if err != nil || strings.ContainsAny(p, " \t\r\n") || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("goauth: prefix %q is not an https URL", p)
	}
	return nil
}

// validHeaderName reports whether s is an HTTP token (RFC 9110).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r >= 0x7f || r <= ' ' || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether s holds no control character other
// than tab.
func validHeaderValue(s string) bool {
	for _, r := range s {
		if (r < ' ' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}
