// Package jwtbearer is the jwt_bearer provider: the JWT bearer
// authorization grant of RFC 7523 §2.1. A signed JWT — the assertion —
// stands in for a user's or a service's consent, and the authorization
// server trades it for an access token:
//
//	POST /token
//	grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer
//	&assertion=<JWT>&scope=api
//	(+ client_id and client authentication, when the server wants them)
//
// Servers use it for service accounts (zitadel's "JWT profile" service
// users, Google service accounts, Salesforce and ory/fosite's trust
// grants): the account holds a private key, the server holds its public
// key, and the account signs a short-lived grant for each request.
//
// The assertion comes from one of two places:
//
//   - assertion: a ready-made JWT, secret-valued (env: or file:
//     reference), that someone else issued — an identity provider's token
//     the server trusts. It is sent as it is.
//   - assertion_key: a PEM private key (RSA or EC; a file path, or an
//     env:/file: reference to the PEM text). keyfob signs a new grant for
//     every request, retries included, each with a fresh jti:
//     iss = assertion_issuer (default: client_id), sub = assertion_subject
//     (default: the issuer), aud = assertion_audience (default: the
//     server's issuer when it is known from issuer or authority, else the
//     token endpoint; or token_endpoint, issuer, both, or a literal
//     value), iat = nbf = now, exp = now + 5 minutes, and the headers alg
//     (assertion_alg: RS256 for RSA by default, ES256/384/512 for EC) and
//     kid (assertion_kid, the id under which the server knows the key).
//
// RFC 7523 §3.1 makes client authentication optional: without client_id
// the request carries none. With client_id the usual client keys apply
// (client_secret, client_certificate, client_auth).
//
// Each call runs the grant anew — a new assertion is cheap — so no state
// is kept, even when the server issues a refresh token. Tokens got with a
// signed assertion are cached by the host as usual (the issuer, subject
// and key are part of the cache key); tokens got with a ready assertion
// are not (Token.NoCache): the host's cache key never holds a secret, so
// it could not tell one assertion's principal from the next.
package jwtbearer
