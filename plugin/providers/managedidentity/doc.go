// Package managedidentity is the managed_identity provider: the token of
// an Azure managed identity, from the endpoint the Azure host serves.
//
// Two endpoints are spoken (managed_identity_source):
//
//   - imds: the Instance Metadata Service of VMs, scale sets and AKS
//     nodes (entra-docs how-to-use-vm-token.md):
//
//     GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=R
//     Metadata: true
//
//     A user-assigned identity is picked with client_id, object_id or
//     msi_res_id. IMDS answers 404 and 410 while it is updating or
//     restarting (up to 70 s), and 429 and 5xx under load: those are
//     retried with exponential backoff (2, 4, 8, 16, 32 s) within the
//     caller's deadline; other 4xx are not. IMDS traffic never goes
//     through a proxy.
//
//   - app_service: App Service and Functions (IDENTITY_ENDPOINT,
//     IDENTITY_HEADER), api-version 2019-08-01, the secret in the
//     X-IDENTITY-HEADER header, and client_id, principal_id or mi_res_id
//     (not msi_res_id) for a user-assigned identity;
//     app_service_2017 is the legacy form (MSI_ENDPOINT, MSI_SECRET; also
//     Azure Machine Learning): api-version 2017-09-01, the secret in the
//     "secret" header, clientid.
//
// Both use the v1 "resource" parameter instead of scopes: the one scope
// RESOURCE/.default becomes resource=RESOURCE. Their answers put numbers
// in strings ("expires_in": "3599") and an absolute expires_on, as an
// epoch or (2017-09-01) a date; plugin/oauth.ParseTokenResponse reads
// them all.
//
// Plain http:// is refused everywhere in keyfob except on loopback and
// here: the IMDS endpoint may be http on a link-local address (no secret
// is sent to it), the App Service endpoint only on loopback (it gets the
// identity header). Anything else must be https.
//
// The plugin runs with a restricted environment, so it reads none of the
// variables above itself: the host maps them to identity_endpoint,
// identity_secret, managed_identity_source and imds_endpoint.
package managedidentity
