package cli

import (
	"slices"
	"strings"
	"testing"
)

// TestSubcommandsTable: the table newRootFor picks from names every
// command the full root has, with its aliases, so a command is found
// whichever name calls it.
func TestSubcommandsTable(t *testing.T) {
	t.Parallel()
	var want, got [][]string
	for _, c := range newRoot(&Env{}).Commands() {
		if c.Name() != "completion" {
			want = append(want, append([]string{c.Name()}, c.Aliases...))
		}
	}
	for _, sc := range subcommands {
		got = append(got, sc.names)
	}
	sortNames := func(a, b []string) int { return strings.Compare(a[0], b[0]) }
	slices.SortFunc(want, sortNames)
	slices.SortFunc(got, sortNames)
	if !slices.EqualFunc(want, got, slices.Equal) {
		t.Errorf("subcommands = %q, want %q", got, want)
	}
}

// TestRootBuildsOnlyTheCommandRun: a call builds the command it runs and
// no other; help, completion and unknown commands get them all.
func TestRootBuildsOnlyTheCommandRun(t *testing.T) {
	t.Parallel()
	all := len(newRoot(&Env{}).Commands())
	tests := map[string]struct {
		args []string
		want int
	}{
		"token":           {[]string{"token", "-p", "x"}, 1},
		"an alias":        {[]string{"google-exec"}, 1},
		"no arguments":    {nil, all},
		"a flag first":    {[]string{"--help"}, all},
		"help":            {[]string{"help", "token"}, all},
		"completion":      {[]string{"completion", "bash"}, all},
		"shell complete":  {[]string{"__complete", "to"}, all},
		"unknown command": {[]string{"tokn"}, all},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := len(newRootFor(&Env{}, tc.args).Commands()); got != tc.want {
				t.Errorf("%d commands built, want %d", got, tc.want)
			}
		})
	}
}

// TestLazyRootAnswersAsBefore: a lone command still runs with its flags,
// and help, shell completion and a mistyped command still see every
// command.
func TestLazyRootAnswersAsBefore(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args     []string
		wantCode int
		want     string // in stdout or stderr
	}{
		"version":         {[]string{"version"}, 0, "keyfob"},
		"help lists all":  {[]string{"--help"}, 0, "install-helpers"},
		"shell complete":  {[]string{"__complete", "ins"}, 0, "install-helpers"},
		"unknown command": {[]string{"tokn"}, ExitInternal, "Did you mean this? token"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, nil, tc.args...)
			if code != tc.wantCode || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, stdout, stderr, tc.wantCode, tc.want)
			}
		})
	}
}
