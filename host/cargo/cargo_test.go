package cargo

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	goldenfile "github.com/keyfob/keyfob/internal/golden"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

var expiry = time.Date(2026, 11, 22, 10, 55, 0, 0, time.UTC)

// readRequest is what cargo 1.95 sent for `cargo fetch` (captured).
const readRequest = `{"v":1,"registry":{"index-url":"sparse+http://127.0.0.1:46231/index/","name":"kf","headers":["Www-Authenticate: Cargo login_url=\"https://example.com/login\"","Content-Length: 0"]},"kind":"get","operation":"read","args":["-p","prof"]}`

const (
	publishRequest = `{"v":1,"registry":{"index-url":"sparse+https://r.example.com/index/"},"kind":"get","operation":"publish","name":"kfdep","vers":"0.1.0","cksum":"abc"}`
	loginRequest   = `{"v":1,"registry":{"index-url":"sparse+https://r.example.com/index/","name":"r"},"kind":"login","token":"SECRET","login-url":"https://r.example.com/me"}`
	logoutRequest  = `{"v":1,"registry":{"index-url":"sparse+https://r.example.com/index/","name":"r"},"kind":"logout"}`
)

func TestServeGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in string
		h  Handler
	}{
		"get": {in: readRequest + "\n", h: answerWith(Get("Bearer eyJ0eXAi.test.token", expiry), nil)},
		"get-no-expiry": {in: publishRequest + "\n",
			h: answerWith(Get("Bearer eyJ0eXAi.test.token", time.Time{}), nil)},
		"not-found":         {in: readRequest + "\n", h: answerWith(nil, nil)},
		"url-not-supported": {in: readRequest + "\n", h: answerWith(nil, &Error{Kind: ErrURLNotSupported})},
		"login-not-supported": {in: loginRequest + "\n", h: answerWith(nil, &Error{Kind: ErrOperationNotSupported,
			Message: "keyfob gets tokens from the authorization server:\n run `keyfob login -p repos` to sign in"})},
		"logout-ok": {in: logoutRequest + "\n", h: answerWith(&Response{Kind: KindLogout}, nil)},
		"error":     {in: readRequest + "\n", h: answerWith(nil, fmt.Errorf("login.example.com: invalid_client: AADSTS7000215: <bad> & secret"))},
		"error-caused-by": {in: readRequest + "\n", h: answerWith(nil, &Error{Kind: ErrOther, Message: "no token",
			CausedBy: []string{"invalid_client"}})},
		"bad-token":   {in: readRequest + "\n", h: answerWith(Get("Bearer a\nb", expiry), nil)},
		"bad-version": {in: `{"v":2,"registry":{"index-url":"x"},"kind":"get"}` + "\n", h: answerWith(nil, nil)},
		"malformed":   {in: "{\n", h: answerWith(nil, nil)},
		"two-requests": {in: readRequest + "\n\n" + logoutRequest + "\n",
			h: func(_ context.Context, r *Request) (*Response, error) {
				if r.Kind == KindGet {
					return Get("Bearer t", expiry), nil
				}
				return nil, &Error{Kind: ErrOperationNotSupported}
			}},
		"no-request": {in: "", h: answerWith(nil, nil)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var out bytes.Buffer
			if err := Serve(context.Background(), strings.NewReader(tc.in), &out, tc.h); err != nil {
				t.Fatalf("Serve: %v", err)
			}
			golden(t, name, out.Bytes())
			if strings.Contains(out.String(), "SECRET") {
				t.Errorf("the login token is echoed: %s", out.String())
			}
		})
	}
}

func answerWith(r *Response, err error) Handler {
	return func(context.Context, *Request) (*Response, error) { return r, err }
}

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    *Request
		wantErr bool
	}{
		"read": {in: readRequest, want: &Request{V: 1, Kind: KindGet, Operation: OperationRead, Args: []string{"-p", "prof"},
			Registry: Registry{IndexURL: "sparse+http://127.0.0.1:46231/index/", Name: "kf",
				Headers: []string{`Www-Authenticate: Cargo login_url="https://example.com/login"`, "Content-Length: 0"}}}},
		"publish": {in: publishRequest, want: &Request{V: 1, Kind: KindGet, Operation: OperationPublish,
			Name: "kfdep", Vers: "0.1.0", Cksum: "abc", Registry: Registry{IndexURL: "sparse+https://r.example.com/index/"}}},
		"login drops token": {in: loginRequest, want: &Request{V: 1, Kind: KindLogin, LoginURL: "https://r.example.com/me",
			Registry: Registry{IndexURL: "sparse+https://r.example.com/index/", Name: "r"}}},
		"unknown fields": {in: `{"extra":1,"v":1,"registry":{"index-url":"u","x":2},"kind":"future"}`,
			want: &Request{V: 1, Kind: "future", Registry: Registry{IndexURL: "u"}}},
		"version 2":     {in: `{"v":2,"registry":{"index-url":"u"},"kind":"get"}`, wantErr: true},
		"no kind":       {in: `{"v":1,"registry":{"index-url":"u"}}`, wantErr: true},
		"no index":      {in: `{"v":1,"registry":{},"kind":"get"}`, wantErr: true},
		"args not list": {in: `{"v":1,"registry":{"index-url":"u"},"kind":"get","args":"-p"}`, wantErr: true},
		"not json":      {in: `get`, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRequest([]byte(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("ParseRequest error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRequest (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRegistryURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"sparse+https://r/index/":                      "https://r/index/",
		"registry+https://github.com/rust-lang/crates": "https://github.com/rust-lang/crates",
		"https://r/git":                                "https://r/git",
	} {
		if got := (Registry{IndexURL: in}).URL(); got != want {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestResponseStringRedacts(t *testing.T) {
	t.Parallel()
	r := Get("Bearer SECRET", expiry)
	for _, s := range []string{r.String(), fmt.Sprintf("%v", r), fmt.Sprintf("%#v", *r), fmt.Sprintf("%+v", *r)} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("formatted response shows the token: %s", s)
		}
	}
}

func TestServeWriteError(t *testing.T) {
	t.Parallel()
	err := Serve(context.Background(), strings.NewReader(readRequest+"\n"), failingWriter{}, answerWith(nil, nil))
	if err == nil {
		t.Error("Serve succeeded on a broken stdout")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestServeLongLine(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	err := Serve(context.Background(), strings.NewReader(strings.Repeat("x", maxLine+1)), &out, answerWith(nil, nil))
	if err == nil || !strings.Contains(out.String(), `"kind":"other"`) {
		t.Errorf("Serve = %v with output %q, want an error answered as kind other", err, out.String())
	}
}
