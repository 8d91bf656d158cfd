package cargo

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ProtocolVersion is the protocol version keyfob speaks.
const ProtocolVersion = 1

// Kinds of request.
const (
	KindGet    = "get"
	KindLogin  = "login"
	KindLogout = "logout"
)

// Operations of a get request.
const (
	OperationRead    = "read"
	OperationPublish = "publish"
	OperationYank    = "yank"
	OperationUnyank  = "unyank"
	OperationOwners  = "owners"
)

// Registry identifies the registry a request is for.
type Registry struct {
	// IndexURL is the index URL with its kind prefix, e.g.
	// "sparse+https://r.example.com/index/".
	IndexURL string `json:"index-url"`
	// Name is the registry's name in cargo's configuration, when known.
	Name string `json:"name,omitempty"`
	// Headers are the headers of a 401 response, "Name: value" each.
	Headers []string `json:"headers,omitempty"`
}

// URL returns the index URL without cargo's "sparse+" or "registry+"
// prefix: the URL the registry is reached at.
func (r Registry) URL() string {
	for _, p := range []string{"sparse+", "registry+"} {
		if s, ok := strings.CutPrefix(r.IndexURL, p); ok {
			return s
		}
	}
	return r.IndexURL
}

// Request is one request from cargo. A login request's token is not kept:
// keyfob does not store tokens it is given.
type Request struct {
	// V is the protocol version cargo chose.
	V int `json:"v"`
	// Registry is the registry the request is for.
	Registry Registry `json:"registry"`
	// Kind is KindGet, KindLogin, KindLogout or a kind from a newer cargo.
	Kind string `json:"kind"`
	// Operation is what a get is for: OperationRead, OperationPublish, ….
	Operation string `json:"operation,omitempty"`
	// Name, Vers and Cksum describe the crate of publish, yank, unyank and
	// owners operations, as far as each has them.
	Name  string `json:"name,omitempty"`
	Vers  string `json:"vers,omitempty"`
	Cksum string `json:"cksum,omitempty"`
	// LoginURL is where a login request says a token can be had.
	LoginURL string `json:"login-url,omitempty"`
	// Args are the arguments configured after the provider's path.
	Args []string `json:"args,omitempty"`
}

// ParseRequest parses one request line. Unknown fields are ignored, as
// cargo's own types do; a version other than ProtocolVersion, a missing
// kind or a missing index URL is an error.
func ParseRequest(line []byte) (*Request, error) {
	var r Request
	if err := json.Unmarshal(line, &r); err != nil {
		return nil, fmt.Errorf("cargo: malformed request: %w", err)
	}
	switch {
	case r.V != ProtocolVersion:
		return nil, fmt.Errorf("cargo: unsupported protocol version %d", r.V)
	case r.Kind == "":
		return nil, fmt.Errorf("cargo: request without kind")
	case r.Registry.IndexURL == "":
		return nil, fmt.Errorf("cargo: request without registry index-url")
	}
	return &r, nil
}
