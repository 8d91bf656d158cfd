package grant

import (
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/entra"
)

// Claims returns the claims request parameter for req: its claims
// challenge (Request.Claims, from keyfob's --claims) merged with the
// profile's client_capabilities (["cp1"] declares that the client handles
// Continuous Access Evaluation challenges), or "" when there is neither.
// See entra.MergeClaims.
func Claims(req *plugin.Request) (string, error) {
	caps, err := req.Config.List("client_capabilities")
	if err != nil {
		return "", err
	}
	return entra.MergeClaims(req.Claims, caps)
}
