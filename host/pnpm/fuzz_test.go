package pnpm

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzWrite checks that what pnpm keeps of an answer (stdout with
// trailing whitespace removed) is exactly "Bearer " and the token.
func FuzzWrite(f *testing.F) {
	f.Add("eyJ0eXAi.test.token")
	f.Add("a b")
	f.Add("tok\n")
	f.Fuzz(func(t *testing.T, token string) {
		var buf bytes.Buffer
		if err := Write(&buf, token); err != nil {
			return
		}
		kept := strings.TrimRightFunc(buf.String(), func(r rune) bool { return strings.ContainsRune(" \t\n\r\v\f\u00a0\u2028\u2029\ufeff", r) })
		if kept != "Bearer "+token || strings.Count(buf.String(), "\n") != 1 {
			t.Fatalf("token %q gives output %q", token, buf.String())
		}
	})
}
