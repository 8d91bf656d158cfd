package entra

import "github.com/keyfob/keyfob/plugin"

// Outcomes, for a table that reads well.
const (
	config      = plugin.KindConfig
	refused     = plugin.KindRefused
	interaction = plugin.KindInteraction
	unavailable = plugin.KindUnavailable
)

// Hints shared by several codes.
const (
	hintAppDisabled   = "the application is disabled: an admin must enable it (Enterprise applications, Properties)"
	hintAppNotFound   = "no application with this client_id in the tenant: check client_id, the tenant and the cloud, or have an admin add the app"
	hintSignInAgain   = "sign in again: the stored sign-in can no longer be refreshed"
	hintMFA           = "multifactor authentication is required, which this grant cannot do: sign in interactively (device_code or authorization_code)"
	hintMFAEnroll     = "the user must register for multifactor authentication first, then sign in interactively"
	hintNoTenant      = "the request names no tenant Entra can find: use a tenant id or domain in authority (or tenant_id)"
	hintNotOnCommon   = "not available on the common or consumers authority: use a tenant id or domain, or organizations"
	hintSessionRevoke = "the sign-in session ended after a password change or reset: sign in again"
)

// rows is the AADSTS table, grouped by topic. Every code is from entra-docs
// reference-error-codes.md, except 700024 and the federated-credential
// codes 70021 and 700211-700213, which Entra returns for workload identity
// federation (azure-workload-identity troubleshooting). Entra warns that
// codes may change; a code not here simply gets no hint.
var rows = []Row{
	// Client credentials: secrets.
	{7000215, refused, "the client secret is wrong: use the secret's Value, not its Secret ID, from this client_id's app registration"},
	{7000222, refused, "the client secret has expired: create a new one under Certificates & secrets, or use a certificate"},
	{70002, refused, "the client credential is not valid for this client_id: check client_secret or client_certificate"},
	{7000218, config, "the app needs a client credential: set client_secret or client_certificate, or enable \"Allow public client flows\" on the app registration"},
	{700025, config, "the app is a public client: remove client_secret and client_certificate (or set client_auth = \"none\")"},
	{700016, refused, hintAppNotFound},
	{700011, refused, hintAppNotFound},
	{70001, refused, hintAppDisabled},
	{7000112, refused, hintAppDisabled},

	// Client credentials: certificates and assertions.
	{700027, refused, "the client assertion's signature does not verify: the private key does not belong to a certificate uploaded to the app registration"},
	{50012, refused, "the client assertion was rejected: upload this certificate to the app registration (its thumbprint must match) and sign with its key"},
	{700030, refused, "the certificate's subject name is not authorized for subject name and issuer authentication on this app"},
	{700024, refused, "the client assertion is outside its validity time: check the system clock, or that the federated token file is fresh"},
	{500133, refused, "the incoming assertion has expired or is not yet valid: pass a fresh access token as assertion"},
	{50013, refused, "the assertion is not valid (expired, malformed or from the wrong issuer): pass a fresh token as assertion"},

	// Workload identity federation.
	{70021, refused, "no federated identity credential on the app matches the token's issuer, subject and audience: compare them with the token's iss, sub and aud"},
	{700211, refused, "no federated identity credential matches the token's issuer: it must equal the token's iss exactly, trailing slash included"},
	{700212, refused, "no federated identity credential matches the token's audience: request the token for api://AzureADTokenExchange or add its audience"},
	{700213, refused, "no federated identity credential matches the token's subject: add one for this subject (e.g. system:serviceaccount:NAMESPACE:NAME)"},

	// Users and passwords.
	{50126, refused, "wrong user name or password"},
	{50034, refused, "no such user in this tenant: check username and the tenant"},
	{50020, refused, "the user is not in this tenant: invite them as a guest, or use their home tenant"},
	{50053, refused, "the account is locked, or the sign-in was blocked as suspicious: wait, or ask an admin to unblock it"},
	{50057, refused, "the user account is disabled"},
	{50055, interaction, "the password has expired: the user must change it, then try again"},
	{50105, refused, "the user is not assigned to this application: an admin must assign the user (or a group) to it"},

	// A person must sign in: MFA, Conditional Access, consent.
	{50076, interaction, hintMFA},
	{50074, interaction, hintMFA},
	{50079, interaction, hintMFAEnroll},
	{50072, interaction, hintMFAEnroll},
	{50158, interaction, "an external security challenge (such as a third-party MFA) must be completed: sign in interactively"},
	{53000, interaction, "Conditional Access requires a compliant device: sign in interactively on an enrolled device"},
	{53001, interaction, "Conditional Access requires a domain-joined device: sign in interactively on one"},
	{50097, interaction, "device authentication is required: sign in interactively on a registered device"},
	{53003, interaction, "blocked by Conditional Access: an interactive sign-in may satisfy the policy; otherwise ask an admin with the trace id"},
	{65001, interaction, "consent is missing: sign in interactively once to consent, or have an admin grant consent to the app for these scopes"},
	{65004, interaction, "the user declined consent: sign in again and accept, or ask an admin to grant consent"},
	{90094, interaction, "an administrator must grant consent to the app for these scopes"},
	{700020, interaction, "this grant needs a person: sign in interactively"},
	{16000, interaction, "the account must be chosen, or is not in this tenant: sign in interactively, or use the account's home tenant"},
	{50058, interaction, "nobody is signed in: sign in interactively"},
	{70019, interaction, "the device code expired before the sign-in finished: run the command again and complete the sign-in sooner"},

	// Stored sign-ins that can no longer be refreshed.
	{700082, interaction, "the refresh token expired from inactivity: " + hintSignInAgain},
	{70008, interaction, "the refresh token has expired or was revoked: " + hintSignInAgain},
	{50173, interaction, "the refresh token was revoked (password change or admin action): " + hintSignInAgain},
	{70043, interaction, "Conditional Access sign-in frequency ended the session: " + hintSignInAgain},
	{700084, interaction, "a single-page app's refresh token has a fixed lifetime that has passed: " + hintSignInAgain},
	{50078, interaction, "the multifactor authentication has expired: " + hintSignInAgain},
	{50089, interaction, "the sign-in flow has expired: " + hintSignInAgain},
	{50132, interaction, hintSessionRevoke},
	{50133, interaction, hintSessionRevoke},

	// Tenants, authorities and clouds.
	{90002, refused, "tenant not found: check the tenant id or domain, and the cloud (a tenant of another national cloud needs cloud = \"usgov\" or \"china\")"},
	{90038, refused, "the tenant belongs to another national cloud: set cloud (\"usgov\" or \"china\") or authority_host"},
	{50128, refused, hintNoTenant},
	{50059, refused, hintNoTenant},
	{9001023, config, "this grant is not available on the common or consumers authority: use a tenant id or domain, or organizations"},
	{90124, config, "this resource is " + hintNotOnCommon},
	{90130, config, "this app is " + hintNotOnCommon},
	{50194, config, "the app is single-tenant: use its tenant id or domain in authority instead of common"},
	{9002332, config, "the app is for work and school accounts only: use organizations or a tenant, not consumers"},

	// Scopes and resources.
	{70011, refused, "the scope is not valid: client_credentials needs RESOURCE/.default, and one request may name only one resource"},
	{700022, refused, "the scopes name more than one resource: request one resource per profile (or per --scope)"},
	{700023, refused, "the scope names no resource: use RESOURCE/.default or RESOURCE/PERMISSION"},
	{901002, config, "the v2.0 endpoint does not take a resource parameter: request the scope RESOURCE/.default instead"},
	{500011, refused, "the resource is not in this tenant: check the scope and the tenant, or have an admin add the resource's service principal"},
	{650057, refused, "the app registration does not list this resource under API permissions: add it, then grant consent"},
	{650056, refused, "the app is not configured for this resource: add the API permission and grant admin consent"},

	// Throttling.
	{50196, unavailable, "too many identical requests (Entra detected a loop): let keyfob's cache serve the token and try again later"},
	{90055, unavailable, "the tenant is throttled: try again later"},
}
