package bazel

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// MaxInput bounds what the helper reads from stdin.
const MaxInput = 1 << 20

// Request is the get request.
type Request struct {
	// URI is the resource Bazel wants credentials for, e.g.
	// "https://host/path/file.tar.gz" or "grpcs://host:443".
	URI string
	// Scheme, Host (with ":port" when given, lowercased) and User are
	// parsed from URI.
	Scheme, Host, User string
}

// ParseRequest reads {"uri": "..."}; other fields are ignored. The URI
// must be absolute with a host.
func ParseRequest(r io.Reader) (Request, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return Request{}, err
	}
	if len(b) > MaxInput {
		return Request{}, errors.New("bazel request too large")
	}
	var in struct {
		URI *string `json:"uri"`
	}
	if err := json.Unmarshal(b, &in); err != nil {
		return Request{}, fmt.Errorf("bazel request: %v", err)
	}
	if in.URI == nil {
		return Request{}, errors.New(`bazel request: no "uri"`)
	}
	u, err := url.Parse(*in.URI)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return Request{}, fmt.Errorf("bazel request: uri %q is not an absolute URI with a host", *in.URI)
	}
	req := Request{URI: *in.URI, Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Host)}
	if u.User != nil {
		req.User = u.User.Username()
	}
	return req, nil
}

// Response is the get answer.
type Response struct {
	// Headers maps a header name to its values; nil means none.
	Headers map[string][]string `json:"headers,omitempty"`
	// Expires is when Bazel must ask again; zero omits it.
	Expires time.Time `json:"-"`
}

// Bearer is the answer for an access token: an Authorization header and
// its expiry.
func Bearer(token string, expires time.Time) Response {
	return Response{Headers: map[string][]string{"Authorization": {"Bearer " + token}}, Expires: expires}
}

// Write writes r as one line of JSON: expires in RFC 3339 to the second
// in UTC, never null, and {} for the zero Response.
func Write(w io.Writer, r Response) error {
	out := struct {
		Headers map[string][]string `json:"headers,omitempty"`
		Expires string              `json:"expires,omitempty"`
	}{Headers: r.Headers}
	if len(out.Headers) == 0 {
		out.Headers = nil
	}
	if !r.Expires.IsZero() {
		out.Expires = r.Expires.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
