package entra

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// MergeClaims returns the claims request parameter for a token request:
// the claims challenge (JSON text, or the base64 text a resource's
// WWW-Authenticate header carries; "" for none) merged with the client
// capabilities, which go into access_token.xms_cc.values
// (claims-challenge.md; MSAL's addClaims). With neither it returns "".
// Objects are merged key by key; where both hold a non-object value the
// challenge wins. A challenge that is not a JSON object is a
// configuration error.
func MergeClaims(challenge string, capabilities []string) (string, error) {
	merged, err := parseChallenge(challenge)
	if err != nil {
		return "", err
	}
	if len(capabilities) > 0 {
		caps := map[string]any{"access_token": map[string]any{"xms_cc": map[string]any{"values": toAny(capabilities)}}}
		merged = mergeObjects(caps, merged)
	}
	if len(merged) == 0 {
		return "", nil
	}
	b, err := json.Marshal(merged)
	if err != nil {
		return "", plugin.Configf("claims: %v", err)
	}
	return string(b), nil
}

// parseChallenge decodes a claims challenge; "" gives nil.
func parseChallenge(s string) (map[string]any, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	if !strings.HasPrefix(s, "{") {
		if b, err := decodeBase64(s); err == nil {
			s = strings.TrimSpace(string(b))
		}
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(s), &obj); err != nil || obj == nil {
		return nil, plugin.Configf("claims: want a JSON object (or its base64 form from a claims challenge)")
	}
	return obj, nil
}

// decodeBase64 accepts standard and URL-safe base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, base64.CorruptInputError(0)
}

// mergeObjects merges over into base (both may be nil) and returns the
// result: nested objects merge, any other value of over replaces base's.
func mergeObjects(base, over map[string]any) map[string]any {
	if base == nil {
		base = map[string]any{}
	}
	for k, ov := range over {
		bo, bok := base[k].(map[string]any)
		oo, ook := ov.(map[string]any)
		if bok && ook {
			base[k] = mergeObjects(bo, oo)
			continue
		}
		base[k] = ov
	}
	return base
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
