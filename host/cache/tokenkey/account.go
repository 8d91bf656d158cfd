package tokenkey

// NamesAccount reports whether a profile, by its values, names its
// account itself (username, login_hint); such a profile is never bound
// to the account it signed in with.
func NamesAccount(values map[string]string) bool {
	return values["username"] != "" || values["login_hint"] != ""
}

// AccountScope is the key of the accounts signed in for the profile's
// client at its server (cache.Cache.GetAccounts): the refresh-state key
// of a request naming no account.
func AccountScope(values map[string]string) string {
	return State(Request{Values: values})
}
