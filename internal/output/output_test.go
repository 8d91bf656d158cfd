package output

import (
	"bytes"
	"testing"
	"time"

	goldenfile "github.com/keyfob/keyfob/internal/golden"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

func TestFormats(t *testing.T) {
	t.Parallel()
	tok := Token{AccessToken: "eyJ0eXAi.test.token", TokenType: "bearer",
		ExpiresAt: time.Date(2026, 11, 22, 10, 55, 0, 0, time.UTC), Scope: "https://graph.microsoft.com/.default"}
	for _, name := range []string{"raw", "header", "json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f, err := ParseFormat(name)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Write(&buf, f, tok); err != nil {
				t.Fatal(err)
			}
			golden(t, "token-"+name, buf.Bytes())
		})
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("ParseFormat(yaml) succeeded")
	}
}
