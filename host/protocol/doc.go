// Package protocol is what a host tool's protocol package (host/git,
// host/kubectl, …) implements to be a keyfob command, and what it is
// given to answer with.
//
// A Protocol is one package's whole face: its command name and the helper
// names a tool runs it under (CONTRACT §3), its help, and Serve, which
// reads the tool's request, picks the profile through the Session and
// writes the answer in the tool's wire format. Two faces run it:
//
//   - the lean front (cmd/keyfob), whose Session answers from the token
//     cache alone and returns ErrHandOff on a miss or any doubt; the front
//     then becomes the engine, which runs the same Serve again;
//   - the engine (cmd/keyfob-engine), whose Session runs the whole token
//     pipeline (host.Cache): lock, refresh, plugin, sign-in.
//
// So a protocol writes its answer once, and both faces give the same bytes.
// Registering a protocol is one line in host/protocol/all.
//
// An action only the engine does (an erase, a protocol the front never
// answers: cargo, GOAUTH, Google's) calls Full first, before it reads
// stdin: the front keeps what it read for the engine, which then reads
// it again. What needs net/http (docker's ACR exchange) is an interface
// the engine's Session implements (docker.Exchanger), so the front never
// links it.
//
// The front links this package and every protocol package, so they stay
// free of gRPC, go-plugin, cobra and net/http, and do not import the host
// package itself.
package protocol
