package workloadidentity

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// AssertionType is the client_assertion_type of a JWT client assertion
// (RFC 7523 §2.2).
const AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

// source yields the federated token to present. It is called once per
// token-request attempt and must be safe for concurrent use.
type source interface {
	assertion(ctx context.Context) (plugin.Secret, error)
}

// assertionAuth is oauth.ClientAuth for a federated credential: it sends
// the platform's JWT, fetched afresh for every attempt, as the client
// assertion. client_id stays in the form, as Entra's examples show.
type assertionAuth struct {
	src source
}

// Apply adds client_assertion_type and client_assertion.
func (a assertionAuth) Apply(ctx context.Context, req *oauth.AuthRequest) error {
	jwt, err := a.src.assertion(ctx)
	if err != nil {
		return err
	}
	req.Form.Set("client_assertion_type", AssertionType)
	req.Form.Set("client_assertion", jwt.Reveal())
	return nil
}
