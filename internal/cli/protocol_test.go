package cli

import (
	"testing"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/spf13/cobra"
)

func TestArgsRule(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		h        protocol.Help
		args     []string
		want     string
		wantCode int
	}{
		"exact":            {protocol.Help{MinArgs: 1, MaxArgs: 1}, nil, "accepts 1 arg(s), received 0", ExitUsage},
		"none":             {protocol.Help{}, []string{"x"}, `unknown command "x" for "t"`, ExitUsage},
		"at most, as ever": {protocol.Help{MaxArgs: 1, LooseArgs: true}, []string{"a", "b"}, "accepts at most 1 arg(s), received 2", ExitInternal},
		"range":            {protocol.Help{MinArgs: 1, MaxArgs: 2}, nil, "accepts between 1 and 2 arg(s), received 0", ExitUsage},
	}
	for name, tc := range tests {
		err := argsRule(tc.h)(&cobra.Command{Use: "t"}, tc.args)
		if err == nil || err.Error() != tc.want || ExitCode(err) != tc.wantCode {
			t.Errorf("%s: %v (exit %d), want %q (exit %d)", name, err, ExitCode(err), tc.want, tc.wantCode)
		}
	}
	if argsRule(protocol.Help{RawArgs: true}) != nil {
		t.Error("a protocol that parses its own command line gets an argument check")
	}
}
