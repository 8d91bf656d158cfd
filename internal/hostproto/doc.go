// Package hostproto holds what the lean front executable and the engine's
// CLI share about the host tools' protocols (git, kubectl, docker,
// Bazel), so that both answer a request the same way:
//
//   - Dispatch: the names the executable answers to (CONTRACT §3);
//   - Request, Choose and Refusal: which profile serves a request (CONTRACT
//     §5), matching the hosts patterns as presets expand them, and never
//     falling back to default_profile, $KEYFOB_PROFILE or environment;
//   - the answers built from a cache entry: the git credential, the docker
//     credentials, the token and expiry for kubectl, Bazel's headers;
//   - the keys of derived tokens (the ACR refresh token).
//
// The wire formats themselves are in host/git, host/kubectl, host/docker
// and host/bazel; the protocols in host/protocol/all are whole packages.
// Like them, this package must stay free of gRPC, go-plugin, cobra and
// net/http: the front links it.
package hostproto
