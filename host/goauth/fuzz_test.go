package goauth

import (
	"bytes"
	"net/textproto"
	"testing"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "https://h\n\nAuthorization: Bearer t\n\n",
		"https://example.com\nhttps://example.net/api/\n\nAuthorization: Basic x\n\nhttps://o/\n\nA: b\n\n",
		"https://h\n", "\n\n", "https://h\n\nA:b\n\n", "%zz\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		creds, err := Parse(data)
		if err != nil {
			return
		}
		for _, c := range creds {
			for _, p := range c.Prefixes {
				if p == "" {
					t.Fatalf("empty prefix from %q", data)
				}
			}
		}
	})
}

// FuzzWriteBearer checks that whatever token and prefix Write accepts, the
// go command parses back to the same credential: nothing can smuggle an
// extra header or prefix in.
func FuzzWriteBearer(f *testing.F) {
	f.Add("eyJ0eXAi.test.token", "https://dev.azure.com/contoso")
	f.Add("t\nX: y", "https://h")
	f.Add("t", "https://h\n\nX: y")
	f.Fuzz(func(t *testing.T, token, prefix string) {
		var buf bytes.Buffer
		if err := Write(&buf, Bearer(token, prefix)); err != nil {
			return
		}
		creds, err := Parse(buf.String())
		if err != nil {
			t.Fatalf("output %q does not parse: %v", buf.String(), err)
		}
		if len(creds) != 1 || len(creds[0].Prefixes) != 1 || len(creds[0].Header) != 1 ||
			textproto.MIMEHeader(creds[0].Header).Get("Authorization") != "Bearer "+token {
			t.Fatalf("token %q, prefix %q round-trip to %#v", token, prefix, creds)
		}
	})
}

func FuzzPrefixes(f *testing.F) {
	f.Add("dev.azure.com", "https://dev.azure.com/contoso/x")
	f.Add("https://dev.azure.com/contoso/", "https://dev.azure.com/contoso")
	f.Fuzz(func(t *testing.T, host, rawURL string) {
		for _, p := range Prefixes([]string{host}) {
			if checkPrefix(p) != nil {
				t.Fatalf("Prefixes(%q) gave %q", host, p)
			}
		}
		if p, err := PrefixFor(rawURL, []string{host}); err == nil && checkPrefix(p) != nil {
			t.Fatalf("PrefixFor(%q, %q) gave %q", rawURL, host, p)
		}
	})
}
