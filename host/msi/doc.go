// Package msi serves tokens to unmodified Azure SDKs through the App
// Service managed-identity protocol, on a loopback endpoint.
//
// Every Azure SDK (Go azidentity, JS @azure/identity, Python
// azure-identity, .NET, Java) knows how to ask a managed-identity endpoint
// for a token: when IDENTITY_ENDPOINT and IDENTITY_HEADER are set it sends
//
//	GET $IDENTITY_ENDPOINT?api-version=2019-08-01&resource=R
//	X-IDENTITY-HEADER: $IDENTITY_HEADER
//
// and older clients send the 2017-09-01 form to $MSI_ENDPOINT with the
// header "secret: $MSI_SECRET". A [Server] answers both with tokens from a
// [TokenFunc] the caller passes, so a program run with the variables of
// [Server.Env] gets the caller's tokens without knowing where they come
// from (keyfob exec is such a caller).
//
// The endpoint is guarded the way Azure's own are, or better:
//
//   - it listens on 127.0.0.1 only, on a port the kernel picks;
//   - every request must carry the server's 256-bit secret in the header
//     its API version names, compared in constant time; without it the
//     answer is 401 and no token;
//   - the Host header must be the listener's own address (a browser page
//     that rebinds a DNS name to 127.0.0.1 sends its own name), and any
//     request with an Origin header is refused (403): browsers send one
//     on cross-origin requests, SDKs never do;
//   - only GET is served; the request rate is bounded by a token bucket
//     (429 with Retry-After, which the SDKs honour).
//
// Errors are JSON bodies ({"error": …, "error_description": …}) with the
// status the SDKs act on: 400 for a request that cannot be served (the
// SDKs fail at once and show the body), 401 for a missing or wrong
// secret, 429 and 5xx for conditions worth retrying (azcore retries 408,
// 429, 500, 502, 503 and 504 for this source). A TokenFunc chooses its
// status by returning an [*Error].
//
// The package imports only the standard library and prints nothing.
package msi
