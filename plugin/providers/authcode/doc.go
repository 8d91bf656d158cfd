// Package authcode is the authorization code grant (RFC 6749 §4.1) for a
// native client (RFC 8252): the user signs in in a browser, the server
// redirects the browser back to keyfob with a code, and keyfob redeems
// the code at the token endpoint.
//
// Every sign-in uses PKCE with S256 (RFC 7636) and a 128-bit random
// state, checked before the code is redeemed.
//
// Two ways back from the browser:
//
//   - loopback (the default): keyfob listens on an ephemeral port of the
//     loopback interface and the redirect URI is http://localhost:PORT/.
//     It listens on 127.0.0.1 and [::1] at the same port, so no other
//     process can take the family it left free (the ::1 half is skipped
//     only when the machine has no IPv6 loopback). The listener takes
//     exactly one callback on the redirect path, answers it, and closes;
//     the wait is bounded by the call's deadline, else by
//     DefaultCallbackTimeout. redirect_uri may name http://127.0.0.1 or
//     http://[::1] (one family) and a fixed port or path; it is sent as
//     written plus the port, so http://localhost gives
//     http://localhost:PORT (MSAL's form, without the slash).
//   - paste (redirect_mode = "paste", for SSH sessions): the URL is shown,
//     the user signs in on any machine and pastes the address the browser
//     ended on (it need not have loaded); keyfob checks its state and
//     redeems its code. redirect_uri may then be any registered URI, such
//     as Entra's https://login.microsoftonline.com/common/oauth2/nativeclient.
//
// The browser is opened through the host (Interaction.OpenBrowser), after
// the URL has been shown with Interaction.Notify. With no_browser = "true"
// (keyfob --no-browser) the URL is only shown.
//
// login_hint, domain_hint and prompt are passed to the authorization
// endpoint. A stored refresh token is used first; see package delegated
// for the common shape of delegated calls.
//
// Outcomes: a callback whose state differs is rejected before any token
// request (ErrRefused, exit 3); an error in the callback is the server's
// *plugin.OAuthError (access_denied: exit 3; login_required,
// interaction_required, consent_required: exit 4); no callback in time is
// ErrInteractionRequired (exit 4).
package authcode
