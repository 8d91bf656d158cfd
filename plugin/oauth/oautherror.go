package oauth

import (
	"bytes"
	"encoding/json"

	"github.com/keyfob/keyfob/plugin"
)

// parseErrorResponse turns a non-2xx answer into a *plugin.OAuthError. A
// body that is not a JSON object (an HTML error page from a proxy, an
// empty 503) gives an OAuthError with no Code, classified by its status.
func parseErrorResponse(body []byte, status int) *plugin.OAuthError {
	raw, err := decodeObject(body)
	if err != nil {
		return &plugin.OAuthError{StatusCode: status}
	}
	return errorFromFields(raw, status)
}

// errorFromFields reads RFC 6749 §5.2 fields and Entra's extensions
// (error_codes, trace_id, correlation_id, claims). It is lenient: a field
// of the wrong type is dropped, not an error. Entra's timestamp is left
// out; it is repeated in error_description.
func errorFromFields(raw map[string]json.RawMessage, status int) *plugin.OAuthError {
	return &plugin.OAuthError{
		Code:          lenientString(raw, "error"),
		Description:   lenientString(raw, "error_description"),
		URI:           lenientString(raw, "error_uri"),
		ErrorCodes:    errorCodes(raw["error_codes"]),
		TraceID:       lenientString(raw, "trace_id"),
		CorrelationID: lenientString(raw, "correlation_id"),
		Claims:        claims(raw["claims"]),
		StatusCode:    status,
	}
}

// lenientString is stringField that drops a value of the wrong type.
func lenientString(raw map[string]json.RawMessage, key string) string {
	s, _ := stringField(raw, key)
	return s
}

// errorCodes reads Entra's AADSTS numbers, skipping any that are not
// numbers (or numeric strings).
func errorCodes(v json.RawMessage) []int64 {
	var items []json.RawMessage
	if json.Unmarshal(v, &items) != nil {
		return nil
	}
	var codes []int64
	for _, item := range items {
		if n, err := parseNumber(item); err == nil && n >= 0 && n <= 1<<53 {
			codes = append(codes, int64(n))
		}
	}
	return codes
}

// claims reads a claims challenge: Entra sends JSON text in a string;
// a server that sends the object itself gets it compacted to text.
func claims(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var buf bytes.Buffer
	if len(v) > 0 && v[0] == '{' && json.Compact(&buf, v) == nil {
		return buf.String()
	}
	return ""
}
