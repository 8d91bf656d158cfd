// Package tokenexchange is the token_exchange provider: OAuth 2.0 Token
// Exchange (RFC 8693). A client presents a token it holds — the subject
// token, e.g. a user's access token that reached a service, or a CI
// platform's OIDC token — and gets another one for a different audience,
// resource or scope, or of another type:
//
//	POST /token
//	grant_type=urn:ietf:params:oauth:grant-type:token-exchange
//	&subject_token=<token>&subject_token_type=urn:ietf:params:oauth:token-type:access_token
//	[&actor_token=<token>&actor_token_type=…]      delegation: who acts for the subject
//	[&audience=…][&resource=…][&requested_token_type=…][&scope=…]
//	(+ client_id and client authentication, when the server wants them)
//
// subject_token and actor_token are secret-valued (env: or file:
// references; the plugin has no stdin). subject_token_type defaults to
// an access token; actor_token_type, required by the RFC with an
// actor_token, defaults to an access token too. Token types are the
// RFC's URNs (urn:ietf:params:oauth:token-type:access_token,
// refresh_token, id_token, jwt, saml1, saml2) or a server's own URIs.
//
// resource and audience are sent as RFC 8693 parameters, not turned into
// Entra-style "RESOURCE/.default" scopes; scopes come from --scope or the
// profile's scopes only.
//
// The issued token must be one keyfob can present as a bearer token: a
// token_type other than bearer is refused (exit 5), and so is N_A, which
// RFC 8693 §2.2.1 uses for tokens that are not access tokens (an ID token,
// a SAML assertion); the error says to ask for an access token instead.
//
// Client authentication is optional in RFC 8693: without client_id the
// request carries none; with it the usual client keys apply
// (client_secret, client_certificate, client_auth).
//
// Each call exchanges the subject token again, so a token issued to an
// earlier subject is never reused: no state is kept, even when the
// server issues a refresh token, and the host does not cache the issued
// token (Token.NoCache) — its cache key never holds a secret, so it could
// not tell one subject token from the next.
package tokenexchange
