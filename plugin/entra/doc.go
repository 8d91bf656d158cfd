// Package entra holds what keyfob knows about Microsoft Entra ID beyond
// standard OAuth 2.0, on the plugin side:
//
//   - Explain and Wrap turn an Entra error response into a one-line hint a
//     person can act on, and reclassify it where its exit code should
//     differ from what its OAuth error code implies (MFA required is
//     "a person is needed", exit 4, though Entra answers invalid_grant).
//     They read the error_codes numbers, never error_description: Entra
//     documents the description as text for people only.
//   - CheckGrant refuses, before any request, the grants Entra does not
//     allow on an authority's tenant: the password grant on common or
//     consumers, client_credentials and on-behalf-of without a real tenant.
//   - MergeClaims builds the claims request parameter from a claims
//     challenge and the client's capabilities (cp1 declares that the
//     client handles Continuous Access Evaluation challenges).
//
// The host-side half (environment variables, national clouds, presets)
// lives in keyfob's internal/entraprofile; see docs/entra.md.
package entra
