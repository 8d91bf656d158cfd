package oauth

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/url"
	"syscall"

	"github.com/keyfob/keyfob/plugin"
)

// unavailableError is a failure to get an answer from the server: a
// network error, a timeout, an oversized or malformed response. It wraps
// plugin.ErrUnavailable and its cause without repeating their text.
type unavailableError struct {
	msg   string
	cause error
	retry bool // whether another attempt may succeed
}

func (e *unavailableError) Error() string { return e.msg }

// Unwrap exposes the sentinel for plugin.KindOf and the cause for
// errors.Is (context.DeadlineExceeded, syscall.ECONNREFUSED, …).
func (e *unavailableError) Unwrap() []error {
	if e.cause == nil {
		return []error{plugin.ErrUnavailable}
	}
	return []error{plugin.ErrUnavailable, e.cause}
}

// unavailable returns an unavailableError "host: condition".
func unavailable(host, condition string, cause error, retry bool) error {
	return &unavailableError{msg: host + ": " + condition, cause: cause, retry: retry}
}

// transportError classifies an error from sending a request or reading its
// response body into a one-line condition and whether to retry it.
func transportError(ctx context.Context, host string, err error) error {
	if ctx.Err() != nil {
		return unavailable(host, contextCondition(ctx.Err()), ctx.Err(), false)
	}
	cond, retry := netCondition(err)
	return unavailable(host, cond, err, retry)
}

// contextCondition names a context error.
func contextCondition(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "deadline exceeded"
	}
	return "request canceled"
}

// netCondition names a network failure without the URL or any payload.
// Refused, reset and dropped connections and timeouts are worth retrying;
// DNS and certificate failures are not.
func netCondition(err error) (string, bool) {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var hostErr x509.HostnameError
	var netErr net.Error
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset", true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by server", true
	case errors.As(err, &dnsErr):
		return "cannot resolve host: " + dnsErr.Err, dnsErr.IsTemporary || dnsErr.IsTimeout
	case errors.As(err, &certErr), errors.As(err, &hostErr):
		return "TLS certificate not trusted (set ca_file?): " + innermost(err).Error(), false
	case errors.As(err, &netErr) && netErr.Timeout():
		return "timed out", true
	}
	return innermost(err).Error(), true
}

// innermost strips *url.Error, whose text repeats the method and URL.
func innermost(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
