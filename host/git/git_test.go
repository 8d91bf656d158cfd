package git

import (
	"bytes"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/internal/golden"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want Request
	}{
		"git 2.39 get, EOF ends it": {
			in:   "protocol=https\nhost=dev.azure.com\nusername=alice\n",
			want: Request{Protocol: "https", Host: "dev.azure.com", Username: "alice"},
		},
		"blank line ends it": {
			in:   "protocol=https\nhost=h\n\nhost=ignored\n",
			want: Request{Protocol: "https", Host: "h"},
		},
		"CRLF tolerated": {
			in:   "protocol=https\r\nhost=h:8443\r\n\r\n",
			want: Request{Protocol: "https", Host: "h:8443"},
		},
		"no final newline": {
			in:   "protocol=http\nhost=127.0.0.1:18765",
			want: Request{Protocol: "http", Host: "127.0.0.1:18765"},
		},
		"capabilities and wwwauth (git 2.46)": {
			in: "capability[]=authtype\ncapability[]=state\nprotocol=http\nhost=example.com\n" +
				"wwwauth[]=Bearer realm=\"example\"\n",
			want: Request{Protocol: "http", Host: "example.com", Capabilities: []string{"authtype", "state"}},
		},
		"empty capability clears the list": {
			in:   "capability[]=authtype\ncapability[]=\nprotocol=https\nhost=h\n",
			want: Request{Protocol: "https", Host: "h"},
		},
		"erase carries the rejected credential": {
			in:   "capability[]=authtype\nauthtype=Bearer\ncredential=tok\nprotocol=https\nhost=h\npassword_expiry_utc=1795309031\n",
			want: Request{Protocol: "https", Host: "h", Credential: "tok", Capabilities: []string{"authtype"}},
		},
		"value with = and a line without one": {
			in:   "protocol=https\ngarbage\nhost=h\npath=a=b\n",
			want: Request{Protocol: "https", Host: "h", Path: "a=b"},
		},
		"empty input": {in: "", want: Request{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(iotest.OneByteReader(strings.NewReader(tc.in)))
			if err != nil {
				t.Fatal(err)
			}
			got.Attributes = nil
			if diff := cmp.Diff(&tc.want, got); diff != "" {
				t.Errorf("Parse(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestParseKeepsUnknownAttributesInOrder(t *testing.T) {
	t.Parallel()
	got, err := Parse(strings.NewReader("state[]=other:x\nprotocol=https\nfuture=1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Attribute{{"state[]", "other:x"}, {"protocol", "https"}, {"future", "1"}}
	if diff := cmp.Diff(want, got.Attributes); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseTooLarge(t *testing.T) {
	t.Parallel()
	in := "protocol=https\nhost=" + strings.Repeat("a", MaxInput) + "\n"
	if _, err := Parse(strings.NewReader(in)); err != ErrTooLarge {
		t.Errorf("err = %v, want ErrTooLarge", err)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req  Request
		want string
	}{
		"host only":     {Request{Protocol: "https", Host: "dev.azure.com"}, "https://dev.azure.com/"},
		"user and path": {Request{Protocol: "https", Host: "dev.azure.com", Username: "a@b.com", Path: "org/p/_git/r"}, "https://a%40b.com@dev.azure.com/org/p/_git/r"},
		"no protocol":   {Request{Host: "h"}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.req.URL(); got != tc.want {
				t.Errorf("URL() = %q, want %q", got, tc.want)
			}
		})
	}
}

var expiry = time.Date(2026, 11, 22, 10, 55, 0, 0, time.UTC)

// TestGolden renders each answer of the protocol: success in both forms,
// nothing here (no output) and the quit answer of a failed sign-in.
func TestGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]func(*bytes.Buffer) error{
		"get_password": func(b *bytes.Buffer) error {
			return Write(b, Credential{Username: "azure-devops", Token: "eyJ0eXAi.tok", Expiry: expiry})
		},
		"get_authtype": func(b *bytes.Buffer) error {
			return Write(b, Credential{Username: "ignored", Token: "eyJ0eXAi.tok", Expiry: expiry, Bearer: true})
		},
		"get_no_expiry":   func(b *bytes.Buffer) error { return Write(b, Credential{Username: "oauth2", Token: "t"}) },
		"get_not_found":   func(*bytes.Buffer) error { return nil },
		"get_quit_signin": func(b *bytes.Buffer) error { return WriteQuit(b) },
	}
	for name, write := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, name, b.Bytes())
		})
	}
}

func TestWriteRefusesLineBreaks(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, Credential{Username: "u", Token: "a\nquit=1"}); err == nil || b.Len() != 0 {
		t.Errorf("Write of a token with a newline: err = %v, output %q; want an error and no output", err, b.String())
	}
}

// FuzzParse checks that any input parses without panicking and that the
// fields agree with the attributes.
func FuzzParse(f *testing.F) {
	f.Add("protocol=https\nhost=dev.azure.com\n")
	f.Add("capability[]=authtype\ncapability[]=state\nprotocol=http\nhost=example.com\nwwwauth[]=Bearer x\n\n")
	f.Add("protocol=https\r\nhost=h\r\n\r\n")
	f.Add("capability[]=\n=\n\x00=\x00\n")
	f.Fuzz(func(t *testing.T, in string) {
		req, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, a := range req.Attributes {
			if strings.Contains(a.Key, "=") || strings.ContainsAny(a.Key+a.Value, "\n") {
				t.Fatalf("attribute %q=%q holds a separator", a.Key, a.Value)
			}
		}
		if req.Has("") {
			t.Fatal("an empty capability was recorded")
		}
		_ = req.URL()
	})
}
