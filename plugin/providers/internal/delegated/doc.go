// Package delegated holds what keyfob's delegated grant providers share:
// the ones where a person signs in (device_code and authorization_code).
//
// Every delegated call has the same shape. When the host's stored state
// holds a refresh token it is redeemed first, and a refused one
// (invalid_grant, or an interaction_required kind of answer) falls back to
// sign-in. Before a sign-in starts, one notice goes to the host ("Signing
// in to HOST for client ID…"): when the host answers that nobody can be
// asked, the call ends with an error wrapping plugin.ErrInteractionRequired
// (exit 4) whose text says "sign-in needed: run keyfob login" — before any
// request to the server when there was no refresh token to try. The host
// adds the profile to that hint.
//
// Delegated flows ask for "offline_access openid profile" on top of the
// resource scopes, as MSAL does, so the server returns a refresh token and
// an ID token; the profile key oidc_scopes = false turns that off for
// servers that refuse unknown scopes. The ID token is decoded (never
// verified) only to label the account: preferred_username, else Entra's
// oid.tid, else the login_hint, else sub.
package delegated
