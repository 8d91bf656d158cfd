// Package secretref reads secret references: "env:NAME" from the
// environment and "file:PATH" from a regular file of bounded size. It
// imports only the standard library, so the lean front, the host and the
// plugin SDK read references the same way, and a cache key computed on
// the front's hit path matches the engine's.
package secretref
