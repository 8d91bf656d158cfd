package terraform

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// The verbs of the protocol.
const (
	Get    = "get"
	Store  = "store"
	Forget = "forget"
)

// LongValidity is how long a token handed to Terraform should still be
// valid: a plan or apply can run for a long time with it.
const LongValidity = 30 * time.Minute

// MinValidity is the minimum validity to ask of a cached token whose
// lifetime is lifetime: LongValidity, but at most half the lifetime, so
// that short-lived tokens are still served from the cache for a while
// instead of being fetched anew for every call. An unknown (zero)
// lifetime gives LongValidity.
func MinValidity(lifetime time.Duration) time.Duration {
	if lifetime <= 0 {
		return LongValidity
	}
	return min(LongValidity, lifetime/2)
}

// MaxInput bounds what store reads from stdin.
const MaxInput = 1 << 20

// ParseStore reads the credentials object of a store request, to the end
// of input. Only the "token" property is defined; an object with any
// other property is refused, since a helper must not accept credentials
// it cannot keep in full.
func ParseStore(r io.Reader) (token string, err error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxInput+1))
	if err != nil {
		return "", err
	}
	_, _ = io.Copy(io.Discard, r) // Terraform wants its input drained
	if len(b) > MaxInput {
		return "", errors.New("credentials object too large")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		return "", errors.New("store: the input is not a JSON object")
	}
	var extra []string
	for k := range obj {
		if k != "token" {
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return "", fmt.Errorf("store: cannot keep the properties %s", strings.Join(extra, ", "))
	}
	if err := json.Unmarshal(obj["token"], &token); err != nil || token == "" {
		return "", errors.New(`store: "token" must be a non-empty string`)
	}
	return token, nil
}

// WriteToken writes the answer to get for a token.
func WriteToken(w io.Writer, token string) error {
	if token == "" {
		return errors.New("terraform: empty token")
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		Token string `json:"token"`
	}{token})
}

// WriteNone writes {}: no credentials for the host.
func WriteNone(w io.Writer) error {
	_, err := io.WriteString(w, "{}\n")
	return err
}
