// Package host is the SDK for programs that get tokens from keyfob
// plugins: keyfob's own CLI, and Go programs such as automation services
// that want tokens without running the CLI for each one.
//
// A plugin is an executable that serves keyfob.v1.TokenService through
// hashicorp/go-plugin: keyfob itself (its providers are the grants of
// CONTRACT §6) or a third party's, built on package plugin.
//
//   - Launch starts a plugin (Options.SHA256 pins the executable) with only
//     an allow-list of the host's environment and no stdin; the returned
//     Plugin's GetToken and ListProviders call it, its TokenSource and
//     HTTPClient adapt it to golang.org/x/oauth2, and Close stops it. A
//     plugin also exits when its host dies.
//   - Supervisor keeps one plugin running for a long-lived program: it
//     launches the plugin on first use and again whenever it finds it
//     dead, resends a call the plugin's death interrupted, and backs off
//     when the plugin keeps dying.
//   - Cache is the token pipeline keyfob's CLI runs, as a TokenGetter that
//     wraps another (a Plugin, a Supervisor): tokens in keyfob's disk
//     cache, shared across processes and with the CLI, one request at a
//     time per key across processes, refresh state kept (sealed with the
//     OS keyring's key), remembered failures, one sign-in per account at
//     a time and a cooldown after a declined one. WithInteraction hands
//     a call's way of reaching a person to the plugin.
//   - Keeper serves one request's token from memory and refreshes it in
//     the background ahead of expiry; its HTTPClient always sends the
//     current token.
//
// Errors keep their meaning across the plugin boundary: plugin.KindOf,
// errors.Is with plugin's sentinels and errors.As with *plugin.OAuthError
// work on them; a plugin that died during a call gives a
// *PluginExitedError. Configuration values are sent as given, so a host
// resolves env:/file: references first (ResolveConfig). Nothing here
// logs unless given a logger, and no log line holds a secret.
package host
