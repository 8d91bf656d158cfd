// Package hostselect is profile selection for the host protocols
// (CONTRACT §5), the lean front's and the engine's alike: which profile
// serves a request, matching the hosts patterns as presets expand them,
// and never falling back to default_profile, $KEYFOB_PROFILE or
// environment. It imports only the standard library and keyfob's
// stdlib-only packages, so the front may link it.
package hostselect

import (
	"fmt"
	"slices"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
)

// Hosts returns every profile's hosts patterns as the profile is used:
// after entraprofile.Expand, so that a preset's hosts count. A profile
// that does not expand (a configuration error, reported when it is used)
// keeps the hosts written in the file.
func Hosts(f *config.File, getenv func(string) string) map[string][]string {
	out := map[string][]string{}
	eachHosts(f, getenv, func(name string, hosts []string) {
		if len(hosts) > 0 {
			out[name] = slices.Clone(hosts)
		}
	})
	return out
}

// eachHosts calls fn with every profile's hosts patterns as Hosts gives
// them, valid during the call. Expand fills in hosts only from a preset,
// and only when the profile has no hosts key, so only such a profile is
// read whole and expanded; the others' hosts are as written.
func eachHosts(f *config.File, getenv func(string) string, fn func(name string, hosts []string)) {
	f.EachHosts(func(h config.ProfileHosts) {
		hosts := h.Hosts
		if !h.Written && h.Preset {
			hosts = presetHosts(f, h.Name, getenv)
		}
		fn(h.Name, hosts)
	})
}

// presetHosts is the hosts a profile without a hosts key gets from
// Expand: none when it does not expand.
func presetHosts(f *config.File, name string, getenv func(string) string) []string {
	p, err := f.Profile(name)
	if err != nil {
		return nil
	}
	values, err := entraprofile.Expand(p.Values, getenv)
	if err != nil {
		return nil
	}
	return hostsOf(values)
}

// hostsOf decodes a profile's hosts key.
func hostsOf(values map[string]string) []string {
	p := config.Profile{Values: values}
	list, err := p.List("hosts")
	if err != nil {
		return nil
	}
	return list
}

// Choose picks the profile for a host protocol's request (CONTRACT §5):
// flagProfile (-p) when given, else the profile whose hosts best match r.
// It reports false when no profile serves r, which the protocol answers
// with its "nothing here". It never falls back to default_profile,
// $KEYFOB_PROFILE or the environment profile.
func Choose(f *config.File, getenv func(string) string, flagProfile string, r protocol.Request) (string, bool) {
	if flagProfile != "" {
		return flagProfile, true
	}
	if r.Host == "" {
		return "", false
	}
	m := config.NewHostMatcher(r.Host, "", r.User, r.URL)
	eachHosts(f, getenv, m.Add)
	return m.Best()
}

// Refusal says why the selected profile, with its expanded values, must
// not answer r, or returns "" when it may:
//
//   - the token would travel over a scheme the protocol's Transport does
//     not allow: in plain text to another machine, or over ws://, ftp://;
//   - the profile was named with -p (explicit) but has hosts patterns,
//     none of which matches r: a profile that says which hosts it serves
//     never hands its token to another, so a helper configured for every
//     host cannot leak it.
//
// A profile without hosts serves whatever it is explicitly selected for.
// The caller treats a refusal as "nothing here" and shows the reason on
// stderr.
func Refusal(name string, values map[string]string, r protocol.Request, explicit bool) string {
	if note := r.TransportNote(name); note != "" {
		return note
	}
	if !explicit {
		return ""
	}
	hosts := hostsOf(values)
	if len(hosts) == 0 {
		return ""
	}
	if _, ok := config.MatchHosts(map[string][]string{name: hosts}, r.Host, "", r.User, r.URL); ok {
		return ""
	}
	return fmt.Sprintf("profile %q does not serve %s (not in its hosts)", name, r.Host)
}
