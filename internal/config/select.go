package config

import (
	"fmt"
	"os"
)

// SelectProfile picks the profile for commands that do not name a host
// (token, kubectl, login, logout; CONTRACT §5): flagValue (-p/--profile),
// else $KEYFOB_PROFILE, else the file's default_profile, else
// "environment". f may be nil (no file) and getenv nil (os.Getenv). A
// name that f does not configure is a configuration error listing the
// configured profiles and saying where the name came from, except
// "environment", which always exists.
func SelectProfile(flagValue string, getenv func(string) string, f *File) (string, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	name, from := selectName(flagValue, getenv, f)
	if _, err := f.Profile(name); err != nil {
		if from != "" {
			return "", fmt.Errorf("%w; it is selected by %s", err, from)
		}
		return "", err
	}
	return name, nil
}

// selectName applies the order of CONTRACT §5 and says which source gave
// the name ("" for the flag and for the built-in default).
func selectName(flagValue string, getenv func(string) string, f *File) (name, from string) {
	if flagValue != "" {
		return flagValue, ""
	}
	if v := getenv("KEYFOB_PROFILE"); v != "" {
		return v, "$KEYFOB_PROFILE"
	}
	if f != nil && f.DefaultProfile != "" {
		return f.DefaultProfile, "default_profile at " + f.DefaultSource.String()
	}
	return EnvironmentProfile, ""
}
