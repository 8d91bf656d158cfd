package cli

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
)

// withLoginHint ends an error that needs a person (exit 4) with the
// command that signs in: "…; run: keyfob login -p NAME". keyfob login's
// own errors get none.
func withLoginHint(err error, c *commonFlags, p *profile) error {
	if err == nil || c.interact.login || plugin.KindOf(err) != plugin.KindInteraction {
		return err
	}
	return fmt.Errorf("%w; run: %s", err, loginCommand(c, p))
}

// loginCommand is the keyfob login command line for p: -p NAME (unless
// the profile is the command line's alone) and the profile keys and
// scopes given on the command line, quoted for a POSIX shell.
func loginCommand(c *commonFlags, p *profile) string {
	args := []string{"keyfob", "login"}
	if p.Name != flagOnlyName {
		args = append(args, "-p", p.Name)
	}
	for _, k := range slices.Sorted(maps.Keys(p.flags)) {
		for _, v := range p.flags[k] {
			args = append(args, "--"+config.FlagName(k), v)
		}
	}
	for _, s := range c.scopes {
		args = append(args, "--scope", s)
	}
	for i, a := range args {
		args[i] = shellQuote(a)
	}
	return strings.Join(args, " ")
}

// shellQuote quotes s for a POSIX shell when it holds anything but
// characters that are safe unquoted.
func shellQuote(s string) string {
	safe := s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,") == ""
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
