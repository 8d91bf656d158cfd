package oauth

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// Field decoders for token and error responses. They read one key of a
// decoded JSON object; an absent key and JSON null both mean "not sent".
// Their errors name the key, never the value.

// stringField returns raw[key] as a string, "" when not sent.
func stringField(raw map[string]json.RawMessage, key string) (string, error) {
	v, ok := raw[key]
	if !ok || isNull(v) {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("%s is not a string", key)
	}
	return s, nil
}

// secretField returns raw[key] as a Secret, zero when not sent.
func secretField(raw map[string]json.RawMessage, key string) (plugin.Secret, error) {
	s, err := stringField(raw, key)
	return plugin.NewSecret(s), err
}

// scopeField returns the granted scope. It accepts a JSON array of strings
// as well as the standard space-separated string; anything else is "".
func scopeField(raw map[string]json.RawMessage) string {
	if s, err := stringField(raw, "scope"); err == nil {
		return s
	}
	var list []string
	if json.Unmarshal(raw["scope"], &list) == nil {
		return strings.Join(list, " ")
	}
	return ""
}

// numberField returns raw[key] as a number. Entra's v1 and managed
// identity endpoints send numbers as strings ("3599"), so a JSON string
// holding a number is accepted too. ok is false when the key was not sent.
func numberField(raw map[string]json.RawMessage, key string) (n float64, ok bool, err error) {
	v, sent := raw[key]
	if !sent || isNull(v) {
		return 0, false, nil
	}
	n, err = parseNumber(v)
	if err != nil {
		return 0, true, fmt.Errorf("%s is not a number", key)
	}
	return n, true, nil
}

// parseNumber parses a JSON number or a JSON string holding one.
func parseNumber(v json.RawMessage) (float64, error) {
	text := string(v)
	var s string
	if json.Unmarshal(v, &s) == nil {
		text = strings.TrimSpace(s)
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// isNull reports whether v is JSON null.
func isNull(v json.RawMessage) bool { return string(v) == "null" }
