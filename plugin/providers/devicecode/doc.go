// Package devicecode is the device authorization grant (RFC 8628), the
// sign-in for terminals without a browser: keyfob asks the server for a
// device code, the host shows the user a URL and a short user code (or
// Entra's ready-made message) with a countdown, the user signs in on any
// device, and keyfob polls the token endpoint until the server answers.
//
// The device authorization request carries the profile's client
// authentication when the client is confidential (x/oauth2 sends only
// client_id there, which zitadel refuses). Polling honours the server's
// interval (5 s when it names none) and slow_down (+5 s each time), and
// ends with the token or at the first of: the code's expires_in, the
// call's deadline (keyfob --timeout).
//
// Outcomes of a poll:
//
//	authorization_pending           poll again after the interval
//	slow_down                       poll again, the interval 5 s longer
//	authorization_declined,
//	access_denied                   the person declined: ErrRefused (exit 3)
//	expired_token, expires_in spent,
//	deadline while waiting          nobody finished in time: ErrInteractionRequired (exit 4)
//	bad_verification_code           ErrRefused (exit 3)
//	anything else                   the server's error as classified by plugin.KindOf
//
// Entra's endpoint is AUTHORITY/oauth2/v2.0/devicecode; it sends message,
// verification_uri (never verification_uri_complete), expires_in and
// interval, and spells a refusal authorization_declined. The older
// verification_url spelling is accepted too.
//
// A stored refresh token is used first; see package delegated for the
// common shape of delegated calls.
package devicecode
