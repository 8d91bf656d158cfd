// Package bazel speaks the credential helper protocol of Bazel (the
// EngFlow credential-helper-spec, Bazel 6.4 and later).
//
// Bazel runs the helper with the single argument "get" (no flags can be
// configured), writes {"uri":"https://host/path"} to its stdin and reads
// {"headers":{"Authorization":["Bearer …"]},"expires":"…"} from its
// stdout. Bazel parses expires with the pattern yyyy-MM-dd'T'HH:mm:ssXXX,
// so fractional seconds are an error, and so is null for either field:
// fields are omitted instead. {} means "no credentials needed", which is
// the answer for hosts no profile serves. A failure is a non-zero exit and
// one line on stderr, which Bazel quotes.
//
// The package is pure, so it is golden- and fuzz-tested, and the lean
// front executable can use it.
package bazel
