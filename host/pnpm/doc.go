// Package pnpm renders the answer of a pnpm token helper.
//
// pnpm reads registry credentials from the user's .npmrc (a project's
// .npmrc may not name a token helper):
//
//	//pkgs.dev.azure.com/contoso/_packaging/feed/npm/registry/:tokenHelper=/usr/local/bin/keyfob-pnpm-repos
//
// pnpm 8 to 10 require an absolute path to an existing file without
// arguments, so the helper is a small script that runs keyfob with its
// arguments; pnpm 11 and later also accept a command line, split on
// whitespace (no quotes, no variables). pnpm runs the helper with no input
// and no information about the request, and sends its stdout, trailing
// whitespace removed, as the Authorization header of requests to that
// registry: verbatim in pnpm 10, with "Bearer " added only when no scheme
// is present in later versions. The answer is therefore "Bearer <token>"
// and a newline. A non-zero exit status fails the install with the
// helper's name and status.
//
// The package is pure: it renders bytes, so it is golden- and fuzz-tested.
package pnpm
