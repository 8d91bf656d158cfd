package plugin

import (
	"errors"
	"testing"

	keyfobv1 "github.com/keyfob/keyfob/proto/keyfob/v1"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// FuzzFromStatus feeds the host side of the plugin boundary arbitrary
// gRPC statuses and TokenError details, as a third-party or broken plugin
// may send. Every one becomes an error with a kind, and the kind survives
// a second trip across the wire.
func FuzzFromStatus(f *testing.F) {
	detail := func(te *keyfobv1.TokenError) []byte {
		b, err := proto.Marshal(te)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	f.Add(uint32(codes.PermissionDenied), "idp: invalid_client", detail(&keyfobv1.TokenError{
		Kind: keyfobv1.ErrorKind_ERROR_KIND_REFUSED, Error: "invalid_client", HttpStatus: 401, Host: "idp", ErrorCodes: []int64{7000215}}))
	f.Add(uint32(codes.Unavailable), "idp: HTTP 429", detail(&keyfobv1.TokenError{
		Kind: keyfobv1.ErrorKind_ERROR_KIND_UNAVAILABLE, HttpStatus: 429}))
	f.Add(uint32(codes.Unavailable), "transport is closing", []byte(nil))
	f.Add(uint32(codes.DeadlineExceeded), "context deadline exceeded", []byte(nil))
	f.Add(uint32(codes.OK), "", []byte(nil))
	f.Add(uint32(99), "\x1b[2J", detail(&keyfobv1.TokenError{Kind: 42, HttpStatus: -1}))
	f.Fuzz(func(t *testing.T, code uint32, msg string, raw []byte) {
		st := status.New(codes.Code(code), msg)
		te := &keyfobv1.TokenError{}
		if len(raw) > 0 && proto.Unmarshal(raw, te) == nil {
			if withDetail, err := st.WithDetails(te); err == nil {
				st = withDetail
			}
		}
		err := FromStatus(st.Err())
		if codes.Code(code) == codes.OK {
			if err != nil {
				t.Fatalf("FromStatus of OK = %v", err)
			}
			return
		}
		if err == nil {
			t.Fatalf("FromStatus(%v) = nil", st)
		}
		_ = err.Error()
		kind := KindOf(err)
		if kind < KindInternal || kind > KindUnavailable {
			t.Fatalf("kind %d out of range", kind)
		}
		var oe *OAuthError
		if errors.As(err, &oe) {
			_ = oe.Error()
		}
		if again := KindOf(FromStatus(ToStatus(err))); again != kind {
			t.Fatalf("kind %v became %v on a second trip", kind, again)
		}
	})
}
