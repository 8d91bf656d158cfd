package kubectl

import (
	"encoding/json"
	"errors"
	"io"
	"time"
)

// execCredentialOut is the answer: kind and apiVersion are required, and
// client-go needs status.token.
type execCredentialOut struct {
	Kind       string `json:"kind"`
	APIVersion string `json:"apiVersion"`
	Status     status `json:"status"`
}

type status struct {
	ExpirationTimestamp string `json:"expirationTimestamp,omitempty"`
	Token               string `json:"token"`
}

// Write writes the ExecCredential for token in apiVersion (V1 or V1beta1)
// on w: one JSON document and a newline. expiry is when client-go must
// run the plugin again, written in RFC 3339 to the second (UTC); zero
// omits it, so the token is kept until a 401.
func Write(w io.Writer, apiVersion, token string, expiry time.Time) error {
	if token == "" {
		return errors.New("exec credential: empty token")
	}
	var out execCredentialOut
	out.Kind, out.APIVersion = "ExecCredential", apiVersion
	out.Status.Token = token
	if !expiry.IsZero() {
		out.Status.ExpirationTimestamp = expiry.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	return json.NewEncoder(w).Encode(out)
}
