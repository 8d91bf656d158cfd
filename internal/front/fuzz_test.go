package front

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/internal/output"
	"github.com/spf13/pflag"
)

// FuzzParseToken feeds the front's hand-written flag parser arbitrary
// command lines (arguments separated by NUL). Whatever the front accepts,
// the engine's flag parser (pflag, as cobra uses it) must accept with the
// same meaning: a disagreement would make a cache hit answer a different
// request than the engine would. Declining is always safe.
func FuzzParseToken(f *testing.F) {
	for _, args := range [][]string{
		nil,
		{"-p", "g", "--output=json", "--scope", "a", "--scope=b"},
		{"--min-validity", "10m", "--timeout=5s", "--lock-timeout", "1m"},
		{"-p", "-o", "-o", "header"},
		{"--profile=", "--scope="},
		{"--min-validity=-5m"},
		{"-p=x"},
		{"--", "-p", "x"},
		{"--force-refresh"},
		{"-o", "yaml"},
	} {
		f.Add(strings.Join(args, "\x00"))
	}
	f.Fuzz(func(t *testing.T, line string) {
		var args []string
		if line != "" {
			args = strings.Split(line, "\x00")
		}
		got, ok := parseToken(args)
		if !ok {
			return
		}
		want, err := engineParse(args)
		if err != nil {
			t.Fatalf("the front accepted %q, the engine refuses it: %v", args, err)
		}
		if got.profile != want.profile || got.format != want.format || got.minValidity != want.minValidity || !slices.Equal(got.scopes, want.scopes) {
			t.Fatalf("%q: front %+v, engine %+v", args, got, want)
		}
	})
}

// engineParse parses args with the flags keyfob token declares that the
// front understands, as pflag does for the engine.
func engineParse(args []string) (tokenRequest, error) {
	fs := pflag.NewFlagSet("token", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var r tokenRequest
	var format string
	var timeout, lockTimeout time.Duration
	fs.StringVarP(&r.profile, "profile", "p", "", "")
	fs.StringVarP(&format, "output", "o", "raw", "")
	fs.StringArrayVar(&r.scopes, "scope", nil, "")
	fs.DurationVar(&r.minValidity, "min-validity", time.Minute, "")
	fs.DurationVar(&timeout, "timeout", 0, "")
	fs.DurationVar(&lockTimeout, "lock-timeout", 0, "")
	if err := fs.Parse(args); err != nil {
		return r, err
	}
	if fs.NArg() > 0 {
		return r, errPositional
	}
	var err error
	r.format, err = output.ParseFormat(format)
	return r, err
}

var errPositional = errors.New("unexpected positional arguments")
