package cli

import (
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/spf13/pflag"
)

// commonFlags are the flags every token-producing command takes.
type commonFlags struct {
	profile      string
	scopes       []string
	timeout      time.Duration
	forceRefresh bool
	minValidity  time.Duration
	claims       string
	lockTimeout  time.Duration
	interact     interactOptions
	keys         map[string]*keyFlag
}

// keyFlag is one profile key given as a flag.
type keyFlag struct {
	list   []string
	single string
}

func (c *commonFlags) register(fs *pflag.FlagSet) {
	fs.StringVarP(&c.profile, "profile", "p", "", "profile name (default: $KEYFOB_PROFILE, default_profile, environment)")
	fs.StringArrayVar(&c.scopes, "scope", nil, "scope to request (repeatable; overrides the profile's scopes)")
	fs.DurationVar(&c.timeout, "timeout", 0, "bound the whole call, waits and retries included (default: the profile's timeout, else 30s unless signing in interactively)")
	fs.BoolVar(&c.forceRefresh, "force-refresh", false, "ignore the cached access token")
	fs.DurationVar(&c.minValidity, "min-validity", time.Minute, "least remaining lifetime a served token must have")
	fs.StringVar(&c.claims, "claims", "", "claims request JSON (e.g. from a claims challenge)")
	fs.DurationVar(&c.lockTimeout, "lock-timeout", host.DefaultLockTimeout, "how long to wait for another keyfob getting the same token")
	fs.BoolVar(&c.interact.noBrowser, "no-browser", false, "show a sign-in URL instead of opening a browser (sends no_browser=true)")
	c.keys = map[string]*keyFlag{}
	for _, name := range config.KeyNames() {
		spec, _ := config.Lookup(name)
		if fs.Lookup(config.FlagName(name)) != nil {
			continue // a common flag of the same name wins (e.g. --timeout)
		}
		kf := &keyFlag{}
		c.keys[name] = kf
		usage := "profile key " + name + ": " + spec.Description
		if spec.List {
			fs.StringArrayVar(&kf.list, config.FlagName(name), nil, usage+" (repeatable)")
		} else {
			fs.StringVar(&kf.single, config.FlagName(name), "", usage)
		}
	}
}

// keyValues returns the profile keys given as flags, keyed by key name.
func (c *commonFlags) keyValues(fs *pflag.FlagSet) map[string][]string {
	out := map[string][]string{}
	for name, kf := range c.keys {
		f := fs.Lookup(config.FlagName(name))
		if f == nil || !f.Changed {
			continue
		}
		if kf.list != nil {
			out[name] = kf.list
		} else {
			out[name] = []string{kf.single}
		}
	}
	return out
}
