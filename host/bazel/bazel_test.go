package bazel

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/internal/golden"
)

func TestParseRequest(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Request
		wantErr bool
	}{
		"https download": {in: `{"uri":"https://Artifacts.example.com/path/file.tar.gz"}`,
			want: Request{URI: "https://Artifacts.example.com/path/file.tar.gz", Scheme: "https", Host: "artifacts.example.com"}},
		"grpcs remote cache": {in: `{"uri":"grpcs://cache.example.com:443"}`, want: Request{URI: "grpcs://cache.example.com:443", Scheme: "grpcs", Host: "cache.example.com:443"}},
		"gson html escapes":  {in: `{"uri":"https://h/x?a\u003d1\u0026b\u003d2"}`, want: Request{URI: "https://h/x?a=1&b=2", Scheme: "https", Host: "h"}},
		"extra fields":       {in: `{"uri":"https://alice@h/","future":{"x":1}}`, want: Request{URI: "https://alice@h/", Scheme: "https", Host: "h", User: "alice"}},
		"no uri":             {in: `{}`, wantErr: true},
		"null uri":           {in: `{"uri":null}`, wantErr: true},
		"relative uri":       {in: `{"uri":"/path"}`, wantErr: true},
		"not json":           {in: `https://h/`, wantErr: true},
		"empty":              {in: ``, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseRequest(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// bazelExpires is Bazel's parser for expires, ported:
// DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").
var bazelExpires = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`)

func TestGolden(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 11, 22, 10, 55, 0, 999_000_000, time.FixedZone("X", -5*3600))
	tests := map[string]Response{
		"get_token":      Bearer("eyJ0eXAi.tok", exp),
		"get_no_expiry":  Bearer("t", time.Time{}),
		"get_not_found":  {},
		"get_empty_hdrs": {Headers: map[string][]string{}},
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, r); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, name, b.Bytes())
			var doc map[string]any
			if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for k, v := range doc {
				if v == nil {
					t.Errorf("%s is null; Bazel rejects null", k)
				}
			}
			if e, ok := doc["expires"]; ok && !bazelExpires.MatchString(e.(string)) {
				t.Errorf("expires %q would not parse in Bazel", e)
			}
		})
	}
}

// FuzzParseRequest checks that any stdin parses or fails cleanly.
func FuzzParseRequest(f *testing.F) {
	f.Add(`{"uri":"https://h/x"}`)
	f.Add(`{"uri":"grpcs://h:443","x":[1,2]}`)
	f.Add(`{"uri":"https://h/x?a\u003d1"}`)
	f.Add(`{"uri":""}`)
	f.Fuzz(func(t *testing.T, in string) {
		req, err := ParseRequest(strings.NewReader(in))
		if err != nil {
			return
		}
		if req.Host == "" || req.Scheme == "" {
			t.Fatalf("accepted %q without scheme or host", in)
		}
	})
}
