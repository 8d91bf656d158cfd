package plugin

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Sentinel errors for outcomes callers branch on. Wrap them with %w; the gRPC
// boundary preserves them (see status.go), so errors.Is works in the host.
var (
	// ErrConfig marks a usage or configuration error: a missing or bad key,
	// a missing secret file or variable, a refused http:// URL. Exit code 2.
	ErrConfig = errdefs.ErrConfig
	// ErrRefused marks a refusal by the authorization server that a retry
	// will not fix. Exit code 3. An *OAuthError usually carries the details.
	ErrRefused = errdefs.ErrRefused
	// ErrInteractionRequired marks that a person is needed and cannot be
	// reached (no terminal, sign-in forbidden, expired refresh token). Exit 4.
	ErrInteractionRequired = errdefs.ErrInteractionRequired
	// ErrUnavailable marks an unreachable, timed-out or failing server after
	// retries. Exit code 5.
	ErrUnavailable = errdefs.ErrUnavailable
)

// Kind classifies an error into the outcomes of CONTRACT §7.
type Kind int

// The kinds of failure, each with its own exit code.
const (
	KindInternal    Kind = iota // exit 1
	KindConfig                  // exit 2
	KindRefused                 // exit 3
	KindInteraction             // exit 4
	KindUnavailable             // exit 5
)

// String names the kind.
func (k Kind) String() string {
	switch k {
	case KindConfig:
		return "config"
	case KindRefused:
		return "refused"
	case KindInteraction:
		return "interaction_required"
	case KindUnavailable:
		return "unavailable"
	}
	return "internal"
}

// KindOf classifies err. Sentinels win over an *OAuthError's own kind, so a
// provider can reclassify a server error by wrapping it (e.g. invalid_grant
// on a stored refresh token becomes ErrInteractionRequired).
func KindOf(err error) Kind {
	switch {
	case err == nil:
		return KindInternal
	case errors.Is(err, ErrConfig):
		return KindConfig
	case errors.Is(err, ErrInteractionRequired):
		return KindInteraction
	case errors.Is(err, ErrUnavailable):
		return KindUnavailable
	case errors.Is(err, ErrRefused):
		return KindRefused
	}
	var oe *OAuthError
	if errors.As(err, &oe) {
		return oe.Kind()
	}
	return KindInternal
}

// Configf returns a configuration error (wrapping ErrConfig) with a
// formatted one-line message.
func Configf(format string, args ...any) error { return errdefs.Configf(format, args...) }

// OAuthError is an error response from an authorization server (RFC 6749
// §5.2) with Microsoft Entra ID's extensions. It never holds secrets.
type OAuthError struct {
	// Code is the "error" field, e.g. "invalid_client".
	Code string
	// Description is "error_description".
	Description string
	// URI is "error_uri".
	URI string
	// ErrorCodes are Entra's AADSTS numbers ("error_codes").
	ErrorCodes []int64
	// TraceID and CorrelationID are Entra's request ids.
	TraceID, CorrelationID string
	// Claims is a claims challenge ("claims"), JSON text.
	Claims string
	// StatusCode is the HTTP status; 0 if unknown.
	StatusCode int
	// Host is the authorization server's host.
	Host string
	// RetryAfter is the server's Retry-After, when it sent one.
	RetryAfter time.Duration
}

// Error renders a single line: host, status, code, description and ids.
func (e *OAuthError) Error() string {
	var b strings.Builder
	if e.Host != "" {
		b.WriteString(e.Host + ": ")
	}
	code := oneLine(e.Code)
	if code == "" {
		code = fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	b.WriteString(code)
	if d := oneLine(e.Description); d != "" {
		b.WriteString(": " + d)
	}
	trace, corr := oneLine(e.TraceID), oneLine(e.CorrelationID)
	if trace != "" {
		b.WriteString(" (trace_id " + trace)
		if corr != "" {
			b.WriteString(", correlation_id " + corr)
		}
		b.WriteString(")")
	} else if corr != "" {
		b.WriteString(" (correlation_id " + corr + ")")
	}
	return b.String()
}

// Kind classifies the error by its code and HTTP status, never by its text.
func (e *OAuthError) Kind() Kind {
	switch e.Code {
	case "interaction_required", "login_required", "consent_required", "account_selection_required":
		return KindInteraction
	case "server_error", "temporarily_unavailable":
		return KindUnavailable
	}
	if e.StatusCode == 429 || e.StatusCode >= 500 {
		return KindUnavailable
	}
	return KindRefused
}

// Retryable reports whether the request may succeed if sent again: 5xx,
// 429 and temporarily_unavailable. OAuth 4xx errors are never retryable.
func (e *OAuthError) Retryable() bool {
	return e.Code == "temporarily_unavailable" || e.StatusCode == 429 || e.StatusCode >= 500
}

// oneLine collapses whitespace so a message stays on one line, and drops
// other control characters: a server's text must not move the cursor or
// recolour the user's terminal.
func oneLine(s string) string { return errdefs.OneLine(s) }

// Errorf returns an error of kind — one of ErrConfig, ErrRefused,
// ErrInteractionRequired or ErrUnavailable — with a formatted one-line
// message that does not repeat the sentinel's text. Errors given with %w
// stay reachable through errors.Is and errors.As, so Errorf(ErrUnavailable,
// "%w", err) reclassifies err while keeping its message and chain.
func Errorf(kind error, format string, args ...any) error {
	return &classified{kind: kind, err: fmt.Errorf(format, args...)}
}

// classified is an error put in a kind by Errorf.
type classified struct {
	kind error
	err  error
}

func (e *classified) Error() string { return e.err.Error() }
func (e *classified) Unwrap() []error {
	if inner := errors.Unwrap(e.err); inner != nil {
		return []error{e.kind, inner}
	}
	return []error{e.kind}
}
