package workloadidentity

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// AssertionType is the client_assertion_type of a JWT client assertion
// (RFC 7523 §2.2).
const AssertionType = oauth.AssertionType

// source yields the federated token to present. It is called once per
// token-request attempt and must be safe for concurrent use.
type source interface {
	assertion(ctx context.Context) (plugin.Secret, error)
}

// assertionAuth is the client authentication of a federated credential:
// the platform's JWT, fetched afresh for every attempt, sent as the client
// assertion by the token client's shared oauth.JWTAssertion.
func assertionAuth(src source) oauth.JWTAssertion {
	return oauth.JWTAssertion{Get: func(ctx context.Context, _ string) (plugin.Secret, error) {
		return src.assertion(ctx)
	}}
}
