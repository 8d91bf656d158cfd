package git

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxInput bounds the input Parse reads. Git limits a line to 65535 bytes;
// a request has a handful of lines.
const MaxInput = 1 << 20

// ErrTooLarge is returned for input longer than MaxInput.
var ErrTooLarge = errors.New("git credential input too large")

// Attribute is one key=value line.
type Attribute struct {
	Key, Value string
}

// Request is what git wrote to the helper: its attributes in order, with
// the common ones in fields for convenience.
type Request struct {
	// Protocol is the URL scheme, e.g. "https".
	Protocol string
	// Host is the host, with ":port" when the port is not the default.
	Host string
	// Path is the repository path without a leading slash; git sends it
	// only with credential.useHttpPath.
	Path string
	// Username is the user name from the URL or configuration, if any.
	Username string
	// Password is the secret of a store or erase request.
	Password string
	// Credential is the pre-encoded credential of a store or erase
	// request (git 2.46 and later).
	Credential string
	// Capabilities are the capability[] values, e.g. "authtype".
	Capabilities []string
	// Attributes are all lines in order, unknown keys included.
	Attributes []Attribute
}

// Parse reads a request: key=value lines up to a blank line or the end of
// input. A trailing CR is dropped (CRLF input). Lines without "=" are
// skipped; a key ending in [] with an empty value clears that list, as in
// git. It reads at most MaxInput bytes.
func Parse(r io.Reader) (*Request, error) {
	br := bufio.NewReader(io.LimitReader(r, MaxInput+1))
	req := &Request{}
	read := 0
	for {
		line, err := br.ReadString('\n')
		read += len(line)
		if read > MaxInput {
			return nil, ErrTooLarge
		}
		line = strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if line == "" && (err == nil || err == io.EOF) {
			return req, nil
		}
		if k, v, ok := strings.Cut(line, "="); ok {
			req.set(k, v)
		}
		if err == io.EOF {
			return req, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading git credential input: %w", err)
		}
	}
}

// set records one attribute.
func (r *Request) set(k, v string) {
	r.Attributes = append(r.Attributes, Attribute{k, v})
	switch k {
	case "protocol":
		r.Protocol = v
	case "host":
		r.Host = v
	case "path":
		r.Path = v
	case "username":
		r.Username = v
	case "password":
		r.Password = v
	case "credential":
		r.Credential = v
	case "capability[]":
		if v == "" {
			r.Capabilities = nil
		} else {
			r.Capabilities = append(r.Capabilities, v)
		}
	}
}

// Has reports whether git announced capability c.
func (r *Request) Has(c string) bool {
	for _, x := range r.Capabilities {
		if x == c {
			return true
		}
	}
	return false
}

// URL renders the request as a URL, protocol://[user@]host[/path], or ""
// without a protocol or host.
func (r *Request) URL() string {
	if r.Protocol == "" || r.Host == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(r.Protocol + "://")
	if r.Username != "" {
		b.WriteString(escapeUser(r.Username) + "@")
	}
	b.WriteString(r.Host + "/" + r.Path)
	return b.String()
}

// escapeUser percent-encodes the characters that would end the user part
// of a URL.
func escapeUser(s string) string {
	return strings.NewReplacer("%", "%25", "@", "%40", ":", "%3A", "/", "%2F").Replace(s)
}
