package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/keyfob/keyfob/internal/config"
	"github.com/spf13/pflag"
)

// namesProfile reports whether the command line chooses the profile: -p,
// or a --provider that makes a profile of the command line alone.
func namesProfile(c *commonFlags, fs *pflag.FlagSet) bool {
	if c.profile != "" {
		return true
	}
	f := fs.Lookup("provider")
	return f != nil && f.Changed
}

// urlProfile picks the profile for a request of a host tool that names a
// URL (GOAUTH, cargo; CONTRACT §5). A profile the command line names
// serves the URL only if it lists no hosts (and needHosts is false) or
// its hosts match the URL; otherwise the profile whose hosts best match
// the URL serves it. A nil profile and nil error mean that no profile
// serves the URL. $KEYFOB_PROFILE and default_profile are never used.
func (e *Env) urlProfile(c *commonFlags, fs *pflag.FlagSet, rawURL string, needHosts bool) (*profile, error) {
	env := e.withoutProfileVar()
	if namesProfile(c, fs) {
		p, err := env.selectProfile(c, fs)
		if err != nil {
			return nil, err
		}
		ok, err := profileServes(p, rawURL, needHosts)
		if !ok || err != nil {
			return nil, err
		}
		return p, nil
	}
	f, err := e.readConfig()
	if err != nil {
		return nil, err
	}
	name, ok := f.MatchHost("", "", "", rawURL)
	if !ok {
		return nil, nil
	}
	c.profile = name
	return env.selectProfile(c, fs)
}

// readConfig reads the configuration file without the warnings of
// loadConfig, for a first look before selectProfile reads it again.
func (e *Env) readConfig() (*config.File, error) {
	home, _ := os.UserHomeDir()
	return config.Load(config.PathFrom(e.Getenv, home))
}

// withoutProfileVar returns a copy of e that does not see $KEYFOB_PROFILE,
// for host protocols, which never fall back to it.
func (e *Env) withoutProfileVar() *Env {
	env := *e
	getenv := e.Getenv
	env.Getenv = func(name string) string {
		if name == "KEYFOB_PROFILE" {
			return ""
		}
		return getenv(name)
	}
	return &env
}

// profileHosts returns the hosts patterns of an effective profile.
func profileHosts(p *profile) ([]string, error) {
	v := p.Values["hosts"]
	if v == "" {
		return nil, nil
	}
	var hosts []string
	if err := json.Unmarshal([]byte(v), &hosts); err != nil {
		return nil, fmt.Errorf("profile %q: key hosts: %w", p.Name, err)
	}
	return hosts, nil
}

// profileServes reports whether p's hosts match rawURL, by the rules of
// config.File.MatchHost applied to p alone. A profile without hosts
// serves every URL unless needHosts is set.
func profileServes(p *profile, rawURL string, needHosts bool) (bool, error) {
	hosts, err := profileHosts(p)
	if err != nil || len(hosts) == 0 {
		return !needHosts, err
	}
	list, err := json.Marshal(hosts) // a JSON string array is a TOML array
	if err != nil {
		return false, err
	}
	f, err := config.Parse("", fmt.Appendf(nil, "[profiles.p]\nhosts = %s\n", list))
	if err != nil {
		return false, err
	}
	_, ok := f.MatchHost("", "", "", rawURL)
	return ok, nil
}
