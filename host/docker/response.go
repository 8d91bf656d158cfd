package docker

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// NotFound is the message that tells a client "nothing here"; clients
// compare stdout with it exactly (after trimming).
const NotFound = "credentials not found in native keychain"

// IdentityTokenUser is the user name that marks Secret as an identity
// (registry refresh) token.
const IdentityTokenUser = "<token>"

// WriteCredentials writes the answer to get.
func WriteCredentials(w io.Writer, c Credentials) error {
	return encode(w, c)
}

// encode writes v as one line of JSON, without HTML escaping (so
// "<token>" stays readable; both forms are valid JSON).
func encode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// WriteError writes an error the way clients expect it: its message on
// one line of stdout (the caller then exits 1).
func WriteError(w io.Writer, err error) error {
	_, werr := fmt.Fprintln(w, strings.Join(strings.Fields(err.Error()), " "))
	return werr
}

// WriteNotFound writes the "nothing here" answer.
func WriteNotFound(w io.Writer) error {
	_, err := fmt.Fprintln(w, NotFound)
	return err
}

// WriteList writes the answer to list: server URL to user name. A nil
// map is written as {}.
func WriteList(w io.Writer, servers map[string]string) error {
	if servers == nil {
		servers = map[string]string{}
	}
	return encode(w, servers)
}

// WriteVersion writes the answer to version, e.g.
// "docker-credential-keyfob (github.com/keyfob/keyfob) v1.2.3".
func WriteVersion(w io.Writer, name, pkg, version string) error {
	_, err := fmt.Fprintf(w, "%s (%s) %s\n", name, pkg, version)
	return err
}
