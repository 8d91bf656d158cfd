package cargo

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"
)

func FuzzParseRequest(f *testing.F) {
	for _, s := range []string{readRequest, publishRequest, loginRequest, logoutRequest,
		`{"v":1,"registry":{"index-url":"u"},"kind":"get","operation":"owners","name":"x"}`,
		`{"v":1}`, `[]`, `null`, `{"v":1e9}`, "\xff"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		r, err := ParseRequest(line)
		if err != nil {
			return
		}
		if r.V != ProtocolVersion || r.Kind == "" || r.Registry.IndexURL == "" {
			t.Fatalf("ParseRequest accepted %q as %+v", line, r)
		}
	})
}

// FuzzServe feeds arbitrary input to Serve and checks that every line it
// writes is one JSON object, the first the hello.
func FuzzServe(f *testing.F) {
	f.Add([]byte(readRequest+"\n"), "Bearer t")
	f.Add([]byte(readRequest+"\n"+loginRequest+"\n"), "Bearer \"t\"")
	f.Add([]byte("{\n\n}\n"), "")
	f.Fuzz(func(t *testing.T, in []byte, token string) {
		var out bytes.Buffer
		h := func(_ context.Context, r *Request) (*Response, error) {
			if r.Kind != KindGet {
				return nil, &Error{Kind: ErrOperationNotSupported, Message: token}
			}
			return Get(token, time.Unix(1_800_000_000, 0)), nil
		}
		_ = Serve(context.Background(), bytes.NewReader(in), &out, h)
		sc := bufio.NewScanner(&out)
		sc.Buffer(nil, 4*maxLine)
		for i := 0; sc.Scan(); i++ {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil || len(m) != 1 {
				t.Fatalf("output line %d %q is not one JSON object with one member: %v", i, sc.Bytes(), err)
			}
			if _, ok := m["v"]; i == 0 && !ok {
				t.Fatalf("first line %q is not the hello", sc.Bytes())
			}
		}
	})
}
