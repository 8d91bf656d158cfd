package errdefs

import "testing"

func TestOneLine(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ in, want string }{
		"plain":            {"idp: invalid_client", "idp: invalid_client"},
		"newlines":         {"a\r\nb\n\tc", "a b c"},
		"terminal escapes": {"idp: \x1b[2J\x1b[1;31mbad\x1b[0m\a", "idp: [2J[1;31mbad[0m"},
		"C1 controls":      {"x\u009b31my", "x31my"},
		"unicode kept":     {"Überprüfung fehlgeschlagen", "Überprüfung fehlgeschlagen"},
		"empty":            {" \n\t ", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := OneLine(tc.in); got != tc.want {
				t.Errorf("OneLine(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
