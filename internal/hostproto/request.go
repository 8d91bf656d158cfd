package hostproto

import (
	"strings"

	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/host/protocol"
)

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

// FromGit is the request of a git credential request. It reports false
// for protocols other than http and https (certificates, SSH), which
// keyfob never answers.
func FromGit(req *git.Request) (Request, bool) {
	p := strings.ToLower(req.Protocol)
	if (p != "https" && p != "http") || req.Host == "" {
		return Request{}, false
	}
	return Request{Host: req.Host, User: req.Username, URL: req.URL()}, true
}

// FromDocker is the request of a docker credential helper call.
func FromDocker(s docker.Server) Request {
	return Request{Host: s.Host, URL: s.RequestURL()}
}
