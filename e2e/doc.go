// Package e2e holds keyfob's end-to-end tests: the real keyfob executable run
// as a process against real authorization servers on loopback.
//
// It is a separate Go module (github.com/keyfob/keyfob/e2e) so that the test
// servers' heavy dependency graphs (zitadel/oidc, ory/fosite, OpenTelemetry)
// never enter the product module. The product is still built from its own
// module: see [github.com/keyfob/keyfob/e2e/harness.BuildKeyfob].
//
// Subpackages:
//
//   - servers: embedded zitadel/oidc and ory/fosite authorization servers on
//     httptest, with known clients, users and token-request counters.
//   - harness: builds cmd/keyfob once per test binary and runs it with a
//     controlled environment.
//   - cmd/fakebrowser: a scripted browser to set as $BROWSER; it signs in at
//     the zitadel server and loads keyfob's loopback redirect.
//
// Run everything with
//
//	cd e2e && go test -race ./...
package e2e
