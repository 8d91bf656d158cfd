// Package hostproto holds what the lean front executable and the engine's
// CLI still share about the host tools' protocols, so that both answer a
// request the same way:
//
//   - Dispatch: the names the executable answers to (CONTRACT §3), from
//     host/protocol/all;
//   - Request, Choose and Refusal: which profile serves a request (CONTRACT
//     §5), matching the hosts patterns as presets expand them, and never
//     falling back to default_profile, $KEYFOB_PROFILE or environment.
//
// The protocols themselves, wire format and answer, are whole packages in
// host/protocol/all. Like them, this package must stay free of gRPC,
// go-plugin, cobra and net/http: the front links it.
package hostproto
