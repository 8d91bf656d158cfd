// Package servers starts real OAuth 2.0 authorization servers inside a test
// process, on httptest loopback listeners, for keyfob's end-to-end tests.
//
// Two servers are available, because neither covers every grant:
//
//   - [StartZitadel]: zitadel/oidc v3 pkg/op (client_credentials with
//     client_secret_basic and client_secret_post, JWT access tokens; for
//     the delegated grants a public native client — authorization code with
//     PKCE on a loopback redirect, refresh_token with rotation, device
//     code — a confidential device-code client, a login page, and
//     [Zitadel.ApproveDevice] / [Zitadel.DenyDevice] in place of a person
//     on the verification page). [Browse] and [Authorize] play the person
//     with a browser.
//   - [StartFosite]: ory/fosite (password, refresh_token with rotation,
//     client_credentials; strict client authentication).
//
// The token logic is the libraries' own. This package only registers clients
// and users, decides which client authentication method each zitadel client
// may use, and counts requests. Secrets are random per server, so a test can
// assert that they never appear in keyfob's output.
//
// Every server is shut down by t.Cleanup. Servers share no state, so parallel
// tests should each start their own when they assert on request counters.
package servers
