package cli

import (
	"os"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/pflag"
)

// profile is the effective profile of one command: a configured profile
// with the command line's keys laid over it, or the command line alone.
type profile struct {
	Name   string
	Values map[string]string
	// flags are the profile keys given on the command line, for the
	// keyfob login hint.
	flags map[string][]string
}

// flagOnlyName names a profile given entirely on the command line.
const flagOnlyName = "(command line)"

// loadConfig reads the configuration file and warns about literal secrets
// in a file others can read, unless the front already did for this call.
func (e *Env) loadConfig() (*config.File, error) {
	home, _ := os.UserHomeDir()
	path := config.PathFrom(e.Getenv, home)
	f, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	config.WarnLiteralSecret(e.Stderr, e.Getenv, path, f)
	return f, nil
}

// selectProfile builds the effective profile (CONTRACT §4, §5). Without
// -p or $KEYFOB_PROFILE, a --provider on the command line makes a profile
// of the command line alone, so that a kubeconfig or git config line can
// carry a complete profile whatever default_profile says.
func (e *Env) selectProfile(c *commonFlags, fs *pflag.FlagSet) (*profile, error) {
	f, err := e.loadConfig()
	if err != nil {
		return nil, err
	}
	flags := c.keyValues(fs)
	name, base, err := e.baseProfile(c, f, flags)
	if err != nil {
		return nil, err
	}
	values, err := config.Overlay(base, flags)
	if err != nil {
		return nil, err
	}
	if values, err = expandProfile(values, e.Getenv); err != nil {
		return nil, err
	}
	if values["provider"] == "" {
		return nil, plugin.Configf("profile %q has no provider (set provider in the config file or pass --provider)", name)
	}
	return &profile{Name: name, Values: values, flags: flags}, nil
}

func (e *Env) baseProfile(c *commonFlags, f *config.File, flags map[string][]string) (string, map[string]string, error) {
	if c.profile == "" && e.Getenv("KEYFOB_PROFILE") == "" && len(flags["provider"]) > 0 {
		return flagOnlyName, nil, nil
	}
	name, err := config.SelectProfile(c.profile, e.Getenv, f)
	if err != nil && c.profile != "" && len(flags["provider"]) > 0 {
		return c.profile, nil, nil // -p NAME naming a profile given wholly as flags
	}
	if err != nil {
		return "", nil, err
	}
	p, err := f.Profile(name)
	if err != nil {
		if name != config.EnvironmentProfile {
			return "", nil, err
		}
		return name, map[string]string{"provider": "environment"}, nil
	}
	return name, p.Values, nil
}
