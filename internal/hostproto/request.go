package hostproto

import "github.com/keyfob/keyfob/host/protocol"

// Request is a host tool's request for credentials (protocol.Request).
type Request = protocol.Request

// Transport is a host protocol's allow-list of URL schemes
// (protocol.Transport).
type Transport = protocol.Transport

// StdinTimeout is protocol.StdinTimeout.
type StdinTimeout = protocol.StdinTimeout

// StdinTimeoutExit is protocol.StdinTimeoutExit.
const StdinTimeoutExit = protocol.StdinTimeoutExit

// The allow-lists of keyfob's host protocols (protocol.HTTPS,
// protocol.Bazel).
var (
	HTTPS = protocol.HTTPS
	Bazel = protocol.Bazel
)

// BoundStdin is protocol.BoundStdin.
var BoundStdin = protocol.BoundStdin
