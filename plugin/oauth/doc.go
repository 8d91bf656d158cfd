// Package oauth is the one token-endpoint client every keyfob provider uses.
//
// Every OAuth 2.0 grant ends the same way: the client POSTs an
// application/x-www-form-urlencoded form to the authorization server's token
// endpoint (RFC 6749 §3.2) and gets back either a JSON token response (§5.1)
// or a JSON error response (§5.2). Only the form differs between grants —
// grant_type=client_credentials with a scope, grant_type=refresh_token with a
// refresh token, the device-code poll, and so on. A provider builds that form
// and hands it to [Client.Token]; this package does the rest:
//
//   - Client authentication (RFC 6749 §2.3). A confidential client proves who
//     it is with a secret in an HTTP Basic header ([SecretBasic]), a secret in
//     the form ([SecretPost]), a JWT assertion signed with its certificate
//     ([PrivateKeyJWT], see package assertion) or a ready-made federated
//     assertion ([JWTAssertion]). A public client sends only its client_id
//     ([None]). The method is configured,
//     never guessed: x/oauth2's auto-detection sends every failed request
//     twice. A [ClientAuth] is applied afresh to every attempt, so a
//     single-use assertion is minted anew on each retry.
//
//   - Transport safety. Token URLs must be https, except on loopback hosts
//     ([CheckURL]); redirects are never followed; response bodies are capped
//     at 1 MiB; dial, TLS handshake and whole-request timeouts are set
//     ([NewHTTPClient]).
//
//   - Response parsing ([ParseTokenResponse]). Real servers disagree on the
//     details: Microsoft Entra ID's v1 and managed-identity endpoints send
//     numbers as strings and an absolute expires_on, ory/fosite sends
//     token_type "bearer" in lower case, Entra adds refresh_in and
//     ext_expires_in. Errors become a *plugin.OAuthError carrying the RFC
//     fields plus Entra's error_codes, trace_id and correlation_id.
//
//   - Retries. Server failures (5xx, temporarily_unavailable) and network
//     failures are retried twice with jittered backoff; HTTP 429 waits for
//     Retry-After when the caller's deadline allows it; OAuth 4xx errors are
//     never retried. What is left after retries is classified for
//     plugin.KindOf, so the host can pick an exit code. [Client.Post]
//     sends a form to another endpoint of the server (the device
//     authorization endpoint) with the same authentication and retries,
//     and [Client.Revoke] revokes a token there (RFC 7009).
//
// Nothing secret is ever logged: log lines carry the endpoint host, the HTTP
// status, the OAuth error code, Entra's request ids, the attempt number and
// token fingerprints ([plugin.Secret.Fingerprint]) — never a form value, a
// header value or a response body.
package oauth
