// Package workloadidentity is the workload_identity provider: Microsoft
// Entra workload identity federation.
//
// An application that runs somewhere with an identity of its own — a
// Kubernetes pod, a GitHub Actions job, an Azure Pipelines job — can trade
// the JWT that platform issues for an Entra access token, without any
// client secret. Entra trusts the platform's token through a "federated
// identity credential" on the app registration (issuer, subject and
// audience, normally api://AzureADTokenExchange). The exchange is the
// client_credentials grant with the platform's JWT as the client
// assertion (entra-docs v2-oauth2-client-creds-grant-flow.md, "third
// case"):
//
//	POST https://login.microsoftonline.com/TENANT/oauth2/v2.0/token
//	grant_type=client_credentials&client_id=APP&scope=RESOURCE/.default
//	&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer
//	&client_assertion=<platform JWT>
//
// The assertion comes from one of three sources (federated_token_source):
//
//   - file: a file that the platform keeps fresh, such as the projected
//     service-account token that the AKS workload-identity webhook names
//     in AZURE_FEDERATED_TOKEN_FILE (client_assertion_file). Kubernetes
//     rotates it at 80% of its lifetime, so it is read again for every
//     token request: a long-lived host never sends a stale one.
//   - github: the GitHub Actions OIDC endpoint. GET
//     $ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD with
//     "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" answers
//     {"value": "<JWT>"} (oidc_request_url, oidc_request_token).
//   - azure_pipelines: an Azure Pipelines service connection. POST
//     $SYSTEM_OIDCREQUESTURI?api-version=7.1&serviceConnectionId=ID with
//     "Authorization: Bearer $SYSTEM_ACCESSTOKEN" answers
//     {"oidcToken": "<JWT>"} (oidc_request_url, oidc_request_token,
//     service_connection_id).
//
// The plugin runs with a restricted environment, so it reads none of these
// variables itself: the host maps them to the keys above (see keyfob's
// internal/cli platformEnv) and resolves the secret ones.
//
// The token endpoint follows from token_url, authority or issuer, or from
// tenant_id on authority_host (https://login.microsoftonline.com by
// default). A new assertion is fetched or read for every attempt, retries
// included, and never logged.
package workloadidentity
