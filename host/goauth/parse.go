package goauth

import (
	"errors"
	"fmt"
	"net/textproto"
	"net/url"
	"strings"
)

// Parse reads GOAUTH command output the way the go command does
// (cmd/go/internal/auth.parseUserAuth), for tests and for Go programs that
// run GOAUTH commands themselves. Empty output is no credentials.
func Parse(data string) ([]Credential, error) {
	var creds []Credential
	for data != "" {
		var c Credential
		var err error
		if c.Prefixes, data, err = parsePrefixes(data); err != nil {
			return nil, err
		}
		if c.Header, data, err = parseHeaders(data); err != nil {
			return nil, err
		}
		creds = append(creds, c)
	}
	return creds, nil
}

func parsePrefixes(data string) ([]string, string, error) {
	var prefixes []string
	for {
		line, rest, ok := strings.Cut(data, "\n")
		if !ok {
			return nil, "", errors.New("goauth: missing empty line after URLs")
		}
		data = rest
		if line == "" {
			return prefixes, data, nil
		}
		u, err := url.ParseRequestURI(line)
		if err != nil {
			return nil, "", fmt.Errorf("goauth: could not parse URL %q: %w", line, err)
		}
		prefixes = append(prefixes, u.String())
	}
}

func parseHeaders(data string) (map[string][]string, string, error) {
	header := make(textproto.MIMEHeader)
	for {
		line, rest, ok := strings.Cut(data, "\n")
		if !ok {
			return nil, "", errors.New("goauth: missing empty line after headers")
		}
		data = rest
		if line == "" {
			return header, data, nil
		}
		name, value, ok := strings.Cut(line, ": ")
		value = strings.TrimSpace(value)
		if !ok || !validHeaderName(name) || !validHeaderValue(value) {
			return nil, "", errors.New("goauth: invalid header line")
		}
		header.Add(name, value)
	}
}
