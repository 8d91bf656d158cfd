// Package cargo speaks cargo's credential-provider protocol (cargo 1.74
// and later, version 1), by which cargo asks a provider for the token of
// an alternative registry.
//
// A registry names its provider in cargo's configuration:
//
//	[registries.contoso]
//	index = "sparse+https://pkgs.dev.azure.com/contoso/_packaging/feed/Cargo/index/"
//	credential-provider = "/usr/local/bin/keyfob cargo -p repos"
//
// or [registry] global-credential-providers lists providers for every
// registry. Cargo runs the provider's path with the single argument
// --cargo-plugin; the configured arguments travel in each request's args
// field instead. Stdin and stdout are pipes carrying one JSON object per
// line; stderr is cargo's, so the user sees it.
//
//  1. The provider writes a hello naming the versions it speaks: {"v":[1]}.
//  2. Cargo writes a request: {"v":1,"registry":{"index-url":"sparse+https://…/","name":"contoso",
//     "headers":["WWW-Authenticate: …"]},"kind":"get","operation":"read","args":["-p","repos"]}.
//     kind is get (operation read, publish, yank, unyank or owners),
//     login or logout; headers are present after a 401.
//  3. The provider answers {"Ok":{"kind":"get","token":"Bearer …","cache":"expires",
//     "expiration":1767323045,"operation_independent":true}} or an error
//     {"Err":{"kind":"url-not-supported"|"not-found"|"operation-not-supported"|"other",
//     "message":"…","caused-by":["…"]}}.
//  4. Cargo closes stdin; the provider exits 0.
//
// The token is sent verbatim as the Authorization header, so it carries
// its scheme. url-not-supported and not-found let cargo try the next
// provider; the other errors stop it. cache tells cargo how long it may
// reuse the token within its own run: never, session, or expires with a
// Unix-seconds expiration.
//
// The package is pure: it reads and writes streams, so it is table-,
// golden- and fuzz-tested.
package cargo
