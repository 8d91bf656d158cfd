// Package all is the list of keyfob's host protocols: the lean front's
// dispatch, the engine's commands, argv[0] dispatch and install-helpers
// all read it. Adding a protocol is one package and one line here.
package all

import (
	"github.com/keyfob/keyfob/host/bazel"
	"github.com/keyfob/keyfob/host/cargo"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/host/goauth"
	"github.com/keyfob/keyfob/host/google"
	"github.com/keyfob/keyfob/host/kubectl"
	"github.com/keyfob/keyfob/host/pnpm"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/terraform"
)

// Protocols returns the host protocols, in the order install-helpers
// creates their helper names.
func Protocols() []protocol.Protocol {
	return []protocol.Protocol{
		git.Protocol{},
		docker.Protocol{},
		terraform.Protocol{},
		bazel.Protocol{},
		pnpm.Protocol{},
		kubectl.Protocol{},
		cargo.Protocol{},
		goauth.Protocol{},
		google.Protocol{},
	}
}
