package plugin

import (
	"context"
	"errors"
	"time"

	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"
)

// This file is the one place where Go errors become gRPC statuses and back.
// A provider's error crosses the plugin boundary as a status whose code
// follows its Kind and whose TokenError detail carries the OAuth fields, so
// that in the host errors.Is(err, ErrRefused) and errors.As(err, &*OAuthError)
// behave as they did in the plugin.

// kindCodes maps each Kind to its gRPC code.
var kindCodes = map[Kind]codes.Code{
	KindInternal:    codes.Internal,
	KindConfig:      codes.InvalidArgument,
	KindRefused:     codes.PermissionDenied,
	KindInteraction: codes.FailedPrecondition,
	KindUnavailable: codes.Unavailable,
}

// kindWire maps each Kind to its wire enum.
var kindWire = map[Kind]keyfobv1.ErrorKind{
	KindInternal:    keyfobv1.ErrorKind_ERROR_KIND_UNSPECIFIED,
	KindConfig:      keyfobv1.ErrorKind_ERROR_KIND_CONFIG,
	KindRefused:     keyfobv1.ErrorKind_ERROR_KIND_REFUSED,
	KindInteraction: keyfobv1.ErrorKind_ERROR_KIND_INTERACTION_REQUIRED,
	KindUnavailable: keyfobv1.ErrorKind_ERROR_KIND_UNAVAILABLE,
}

// ToStatus converts err to a gRPC status error carrying a TokenError detail.
// A nil err gives nil.
func ToStatus(err error) error {
	if err == nil {
		return nil
	}
	kind := KindOf(err)
	code := kindCodes[kind]
	if errors.Is(err, context.DeadlineExceeded) && kind == KindInternal {
		kind, code = KindUnavailable, codes.DeadlineExceeded
	}
	detail := &keyfobv1.TokenError{Kind: kindWire[kind], Message: err.Error()}
	var oe *OAuthError
	if errors.As(err, &oe) {
		fillDetail(detail, oe)
	}
	st, derr := status.New(code, err.Error()).WithDetails(detail)
	if derr != nil {
		return status.Error(code, err.Error())
	}
	return st.Err()
}

func fillDetail(d *keyfobv1.TokenError, oe *OAuthError) {
	d.Error = oe.Code
	d.ErrorDescription = oe.Description
	d.ErrorUri = oe.URI
	d.ErrorCodes = oe.ErrorCodes
	d.TraceId = oe.TraceID
	d.CorrelationId = oe.CorrelationID
	d.Claims = oe.Claims
	d.HttpStatus = int32(oe.StatusCode)
	d.Host = oe.Host
	if oe.RetryAfter > 0 {
		d.RetryAfter = durationpb.New(oe.RetryAfter)
	}
}

// FromStatus converts an error returned by a gRPC call back into a Go error
// for which KindOf, errors.Is with the sentinels and errors.As with
// *OAuthError work as on the plugin side. Non-status errors (the plugin
// died, the connection broke) are returned wrapped as internal errors.
func FromStatus(err error) error {
	if err == nil {
		return nil
	}
	st, ok := status.FromError(err)
	if !ok {
		return err
	}
	var detail *keyfobv1.TokenError
	for _, d := range st.Details() {
		if te, ok := d.(*keyfobv1.TokenError); ok {
			detail = te
		}
	}
	if detail == nil {
		return &RemoteError{Kind: kindFromCode(st.Code()), Message: st.Message()}
	}
	return remoteFromDetail(detail)
}

func remoteFromDetail(d *keyfobv1.TokenError) error {
	re := &RemoteError{Kind: kindFromWire(d.GetKind()), Message: d.GetMessage()}
	if d.GetError() != "" || d.GetHttpStatus() != 0 {
		re.OAuth = &OAuthError{
			Code: d.GetError(), Description: d.GetErrorDescription(), URI: d.GetErrorUri(),
			ErrorCodes: d.GetErrorCodes(), TraceID: d.GetTraceId(), CorrelationID: d.GetCorrelationId(),
			Claims: d.GetClaims(), StatusCode: int(d.GetHttpStatus()), Host: d.GetHost(),
			RetryAfter: d.GetRetryAfter().AsDuration(),
		}
	}
	return re
}

func kindFromWire(k keyfobv1.ErrorKind) Kind {
	for kind, w := range kindWire {
		if w == k {
			return kind
		}
	}
	return KindInternal
}

func kindFromCode(c codes.Code) Kind {
	switch c {
	case codes.DeadlineExceeded:
		return KindUnavailable
	case codes.Canceled:
		return KindInternal
	}
	for kind, code := range kindCodes {
		if code == c {
			return kind
		}
	}
	return KindInternal
}

// RemoteError is an error that crossed the plugin boundary. It unwraps to
// the sentinel of its Kind and, when the server sent one, to the
// *OAuthError, so errors.Is and errors.As work in the host.
type RemoteError struct {
	// Kind of the original error.
	Kind Kind
	// Message is the original error's one-line text.
	Message string
	// OAuth is the server's error response, when there was one.
	OAuth *OAuthError
}

// Error returns the original message.
func (e *RemoteError) Error() string { return e.Message }

// Unwrap returns the Kind's sentinel and the OAuth error.
func (e *RemoteError) Unwrap() []error {
	var errs []error
	if s := sentinelOf(e.Kind); s != nil {
		errs = append(errs, s)
	}
	if e.OAuth != nil {
		errs = append(errs, e.OAuth)
	}
	return errs
}

func sentinelOf(k Kind) error {
	switch k {
	case KindConfig:
		return ErrConfig
	case KindRefused:
		return ErrRefused
	case KindInteraction:
		return ErrInteractionRequired
	case KindUnavailable:
		return ErrUnavailable
	}
	return nil
}

// durationOrZero converts an optional wire duration.
func durationOrZero(d *durationpb.Duration) time.Duration {
	if d == nil {
		return 0
	}
	return d.AsDuration()
}
