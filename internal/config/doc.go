// Package config reads keyfob's configuration file and turns it, together
// with command-line flags, into the wire-form profile a plugin receives.
//
// # The file
//
// There is one TOML file (see Path): $KEYFOB_CONFIG, else
// $XDG_CONFIG_HOME/keyfob/config.toml, else ~/.config/keyfob/config.toml.
// A missing file is not an error, so keyfob works from the environment and
// flags alone. Load reads only a regular file of at most MaxFileSize bytes
// that is owned by the user or root and not writable by group or others
// (host/safefile): whoever could change it could send the user's secrets
// to their own token_url or run a plugin as the user. The file has a top-level default_profile and one table per
// profile:
//
//	default_profile = "graph"
//
//	[profiles.graph]
//	provider  = "client_credentials"
//	client_id = "00000000-0000-0000-0000-000000000001"
//	scopes    = ["https://graph.microsoft.com/.default"]
//
// # Keys
//
// The keys a profile may hold are the table Keys (CONTRACT §4), built from
// host/keyspec (the host's own keys and every built-in provider's, as its
// ProviderInfo declares them), plus any added with RegisterKey; keys
// starting with "x_" are always
// accepted (at the top level they are ignored). A profile that names a
// plugin (plugin = "NAME" or a path) also accepts any other lowercase
// identifier (PluginKey), since only the plugin knows its provider's keys
// (github_app_id, say) and asking it would mean starting it on every
// load; the plugin itself reports a key it misses. A plugin key named like
// a secret (ending in _secret, _password, _token or _key) is secret-valued
// (IsSecret, which is keyspec.IsSecret: one classifier for the host, this
// package and the cache keys). In any other profile an unknown key is an error that names
// the file, the line and the closest known key. Errors are one line and
// wrap errdefs.ErrConfig, so they map to exit code 2.
//
// # Parsing
//
// Parse takes time linear in the file's size, and a cache hit reads the
// whole file every time, so the common shape is read cheaply. A file of
// the plain shape (profiles of simple keys) is checked line by line
// (plainParse), which keeps only an index of where each profile is
// written: File.Profile builds the profile asked for, and File.EachHosts
// reads only the hosts keys, so host matching (HostMatcher, which skips
// patterns that cannot name the request's host before parsing them) does
// not copy every profile. Any other file is decoded into a document with
// maps (scan), and only what neither takes goes to go-toml's own
// decoder, whose duplicate-key check is quadratic in the number of
// tables. Tests and fuzz targets check that the faster
// paths accept only what go-toml and the general path do, with the same
// result, and that HostMatcher picks what sorting every profile did.
//
// LoadIndexed, which the lean front uses, is Load that also keeps that
// index in a snapshot file in the cache directory, keyed by the path and
// bound to the file's stat identity (device, inode, size, modification
// and change times, mode, owner): while the identity is unchanged it
// skips the check of the whole file; the safefile checks, and the check
// of the profile built, still run on every call.
//
// # Wire form
//
// A Profile's Values are what crosses the plugin boundary as a
// plugin.Config: every value is a string; a list is its JSON array text
// (["a","b"]); booleans and integers are their text ("true", "30"); a
// secret is a literal or an "env:NAME" / "file:PATH" reference, left
// unresolved.
//
// # Flags and profile selection
//
// Every key can also be given as a flag named after it (FlagName,
// KeyForFlag); Overlay lays flags over a profile and refuses a literal
// secret on the command line. SelectProfile picks the profile for
// commands that do not name a host; File.MatchHost picks it from a
// profile's hosts patterns for the host protocols (git, docker, bazel,
// terraform).
package config
