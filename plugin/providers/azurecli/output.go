package azurecli

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/bearer"
)

// cliLocalLayout is the Azure CLI's expiresOn: local time, no zone.
const cliLocalLayout = "2006-01-02 15:04:05.999999"

// cliOutput is what "az account get-access-token --output json" prints.
// subscription and tenant are not used.
type cliOutput struct {
	AccessToken string          `json:"accessToken"`
	ExpiresOn   string          `json:"expiresOn"`
	ExpiresOnTS json.RawMessage `json:"expires_on"`
	TokenType   string          `json:"tokenType"`
}

// errBadOutput is the cause of every parse failure; messages never quote
// the output, which holds the token.
var errBadOutput = errors.New("az account get-access-token printed no usable token")

// parseOutput reads az's JSON: the token, and its expiry from expires_on
// (epoch seconds, a number or a numeric string) or else expiresOn (local
// time, or RFC 3339 as Cloud Shell prints it). A token outside RFC 6750's
// b64token, a type other than bearer and a token already expired at now
// are refused (ErrUnavailable) as the token client refuses them.
func parseOutput(out []byte, now time.Time) (*plugin.Token, error) {
	var o cliOutput
	if err := json.Unmarshal(bytes.TrimSpace(out), &o); err != nil {
		return nil, badOutput("the output is not a JSON object")
	}
	if strings.TrimSpace(o.AccessToken) == "" {
		return nil, badOutput("no accessToken")
	}
	if bearer.CheckToken(o.AccessToken) != nil {
		return nil, unusable("the accessToken has characters a bearer token may not have (RFC 6750 b64token)")
	}
	tt, err := bearer.CheckType(o.TokenType)
	if err != nil {
		return nil, unusable(err.Error())
	}
	exp, err := o.expiry()
	if err != nil {
		return nil, err
	}
	if !exp.After(now) {
		return nil, unusable("the token expired at " + exp.Format(time.RFC3339) + ", before az printed it")
	}
	return &plugin.Token{AccessToken: plugin.NewSecret(o.AccessToken), TokenType: tt, ExpiresAt: exp}, nil
}

// unusable is the error for output that parses but holds a token keyfob
// must not hand out; like a server's unusable answer, it is
// ErrUnavailable (exit 5).
func unusable(condition string) error {
	return plugin.Errorf(plugin.ErrUnavailable, "%w", badOutput(condition))
}

// expiry prefers expires_on, which has no time zone ambiguity.
func (o *cliOutput) expiry() (time.Time, error) {
	if len(o.ExpiresOnTS) > 0 && string(o.ExpiresOnTS) != "null" {
		return epoch(o.ExpiresOnTS)
	}
	s := strings.TrimSpace(o.ExpiresOn)
	if s == "" {
		return time.Time{}, badOutput("no expires_on or expiresOn")
	}
	if t, err := time.ParseInLocation(cliLocalLayout, s, time.Local); err == nil {
		return inRange(t, "expiresOn")
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return inRange(t, "expiresOn")
	}
	return time.Time{}, badOutput("expiresOn is not a time")
}

// maxEpoch is the last second of year 9999.
const maxEpoch = 253402300799

// inRange accepts an expiry after 1970 and before year 10000, as UTC: a
// year-1 time would be the zero time, which means "no expiry" to the
// host.
func inRange(t time.Time, field string) (time.Time, error) {
	if s := t.Unix(); s <= 0 || s > maxEpoch {
		return time.Time{}, badOutput(field + " is not a time")
	}
	return t.UTC(), nil
}

// epoch reads POSIX seconds from a JSON number or numeric string.
func epoch(raw json.RawMessage) (time.Time, error) {
	text := string(raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		text = strings.TrimSpace(s)
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(n) || n <= 0 || n > maxEpoch {
		return time.Time{}, badOutput("expires_on is not a time")
	}
	return time.Unix(int64(n), 0).UTC(), nil
}

// badOutput names what is wrong with az's output.
func badOutput(condition string) error {
	return &parseError{condition: condition}
}

// parseError is errBadOutput with its condition.
type parseError struct{ condition string }

func (e *parseError) Error() string { return errBadOutput.Error() + ": " + e.condition }
func (e *parseError) Unwrap() error { return errBadOutput }
