package plugin_test

import (
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

// TestOAuthErrorSanitizes: a server's code, description and ids reach
// the user's terminal; they are printed on one line, without control
// characters.
func TestOAuthErrorSanitizes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err  *plugin.OAuthError
		want string
	}{
		"newline code":   {&plugin.OAuthError{Host: "idp", Code: "\n", StatusCode: 400}, "idp: HTTP 400"},
		"escape in text": {&plugin.OAuthError{Host: "idp", Code: "bad\x1b[2J", Description: "a\x1b]0;title\x07b\r\nc"}, "idp: bad[2J: a]0;titleb c"},
		"ids":            {&plugin.OAuthError{Code: "x", TraceID: "t\n1", CorrelationID: "\x00c"}, "x (trace_id t 1, correlation_id c)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q, want %q", got, tc.want)
			}
		})
	}
}
