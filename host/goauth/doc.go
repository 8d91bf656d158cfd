// Package goauth speaks the go command's GOAUTH credential protocol (Go
// 1.24 and later, "go help goauth"), which adds headers to the HTTPS
// requests of module downloads and go-import lookups.
//
// GOAUTH holds a semicolon-separated list of commands; a command other
// than off, netrc and git is split like a shell word list (quotes allowed)
// and run without a shell. Before its first HTTPS fetch the go command
// runs it with no arguments and no input. When a server answers 4xx, it
// runs it again with the URL as one more argument and that response's
// status line and headers (then a blank line) on stdin, and retries the
// request once. The command prints credential sets, each a list of URL
// prefixes, a blank line, header lines and a blank line:
//
//	https://dev.azure.com/contoso
//	https://pkgs.dev.azure.com
//
//	Authorization: Bearer eyJ0eXAi…
//
// The go command strips https:// and a trailing slash from each prefix and
// sends the headers with every request whose URL is under the prefix at a
// path boundary (for the rest of that go command). Empty output offers
// nothing; a non-zero exit status is an error the go command shows only
// with -x. It only ever asks for https URLs.
//
// The package is pure: it renders and parses text, so it is table-,
// golden- and fuzz-tested.
package goauth
