package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/spf13/cobra"
)

// inspectClaims are the claims keyfob inspect shows, in order: who issued
// the token for whom, what it allows, whose it is, and when it is valid.
var inspectClaims = []string{"aud", "iss", "sub", "scp", "scope", "roles", "tid", "oid", "upn",
	"preferred_username", "appid", "azp", "client_id", "iat", "nbf", "exp"}

// inspectTimes are the claims holding NumericDate times.
var inspectTimes = map[string]bool{"iat": true, "nbf": true, "exp": true}

// Token formats keyfob inspect tells apart.
const (
	formatJWT       = "jwt"
	formatEncrypted = "encrypted"
	formatOpaque    = "opaque"
)

// inspection is what keyfob inspect prints (-o json: this object). It
// never holds the token, its signature or any other secret.
type inspection struct {
	Profile   string `json:"profile"`
	Format    string `json:"format"`
	Alg       string `json:"alg,omitempty"`
	TokenType string `json:"token_type,omitempty"`
	// Fingerprint is the first 6 hex digits of the token's SHA-256, as
	// keyfob's logs show it.
	Fingerprint string    `json:"fingerprint"`
	ExpiresAt   time.Time `json:"expires_at,omitzero"`
	Scope       string    `json:"scope,omitempty"`
	// Claims are the selected claims present in a JWT, times as RFC 3339.
	Claims map[string]any `json:"claims,omitempty"`
}

func newInspectCmd(env *Env) *cobra.Command {
	var c commonFlags
	var format string
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Show the current access token's claims (aud, scp/roles, tid, exp…), never the token",
		Long: "Show the claims of the profile's access token — the cached one, else a new one as keyfob token\n" +
			"would get — decoded without verifying the signature: aud, iss, sub, scp/scope, roles, tid, oid,\n" +
			"upn/preferred_username, appid/azp/client_id, and iat, nbf and exp as times. Neither the token nor\n" +
			"its signature is printed. An opaque (non-JWT) or encrypted token has no claims to show.",
		Example: `  keyfob inspect -p graph
  keyfob inspect -p graph -o json | jq -r .claims.scp
  keyfob inspect -p aks --force-refresh`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return &usageError{fmt.Errorf("--output %q: want text or json", format)}
			}
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			e, err := env.getCachedToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			in := inspectEntry(p.Name, e)
			if format == "json" {
				return json.NewEncoder(env.Stdout).Encode(in)
			}
			return writeInspection(env.Stdout, in, env.Now())
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().StringVarP(&format, "output", "o", "text", "output format: text or json")
	registerFlagCompletions(cmd, env)
	return cmd
}

// inspectEntry describes a cache entry's access token.
func inspectEntry(profile string, e *host.CacheEntry) inspection {
	sum := sha256.Sum256([]byte(e.AccessToken))
	in := inspection{Profile: profile, TokenType: e.TokenType, Fingerprint: hex.EncodeToString(sum[:3]),
		ExpiresAt: e.ExpiresAt, Scope: e.Scope, Format: formatOpaque}
	parts := strings.Split(e.AccessToken, ".")
	switch len(parts) {
	case 5:
		in.Format = formatEncrypted
	case 3:
		header, herr := decodeSegment(parts[0])
		claims, cerr := decodeSegment(parts[1])
		if herr != nil || cerr != nil {
			return in
		}
		in.Format = formatJWT
		in.Alg, _ = header["alg"].(string)
		in.Claims = selectClaims(claims)
	}
	return in
}

// decodeSegment decodes one base64url JSON object segment of a compact
// JWS. Numbers stay json.Number so large values survive.
func decodeSegment(seg string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return m, nil
}

// selectClaims keeps inspectClaims, with NumericDate times as RFC 3339.
func selectClaims(all map[string]any) map[string]any {
	out := map[string]any{}
	for _, name := range inspectClaims {
		v, ok := all[name]
		if !ok {
			continue
		}
		if t, ok := numericDate(v); ok && inspectTimes[name] {
			v = t.Format(time.RFC3339)
		}
		out[name] = v
	}
	return out
}

// numericDate reads a NumericDate claim.
func numericDate(v any) (time.Time, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, false
	}
	f, err := n.Float64()
	if err != nil || f <= 0 || f > 1e11 {
		return time.Time{}, false
	}
	return time.Unix(int64(f), 0).UTC(), true
}

// writeInspection prints the inspection as aligned "name  value" lines;
// every value is made a single line without control characters, since
// claims come from the server.
func writeInspection(w io.Writer, in inspection, now time.Time) error {
	var b strings.Builder
	line := func(name, value string) { fmt.Fprintf(&b, "%-19s %s\n", name, oneLine(value)) }
	line("profile", in.Profile)
	line("format", formatNote(in))
	line("fingerprint", "sha256:"+in.Fingerprint)
	if !in.ExpiresAt.IsZero() {
		line("expires", in.ExpiresAt.UTC().Format(time.RFC3339)+" ("+relative(in.ExpiresAt, now)+")")
	}
	if in.Scope != "" {
		line("granted scope", in.Scope)
	}
	for _, name := range inspectClaims {
		v, ok := in.Claims[name]
		if !ok {
			continue
		}
		text := claimText(v)
		if t, err := time.Parse(time.RFC3339, text); err == nil && inspectTimes[name] {
			text += " (" + relative(t, now) + ")"
		}
		line(name, text)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// formatNote says what kind of token it is.
func formatNote(in inspection) string {
	switch in.Format {
	case formatJWT:
		return "JWT, signed with " + in.Alg + " (claims decoded, not verified)"
	case formatEncrypted:
		return "encrypted JWT (JWE): its claims are for the resource only"
	}
	return "opaque: not a JWT, so it has no claims to show; only the server can tell what it holds"
}

// claimText renders a claim value: a list joined with spaces, an object
// as JSON.
func claimText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = claimText(e)
		}
		return strings.Join(parts, " ")
	case json.Number:
		return v.String()
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// relative says how far t is from now: "in 59m0s" or "3m0s ago".
func relative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	if d >= 0 {
		return "in " + d.String()
	}
	return (-d).String() + " ago"
}
