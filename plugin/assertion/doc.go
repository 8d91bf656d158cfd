// Package assertion signs JWT client assertions with a certificate's key:
// the private_key_jwt client authentication of OpenID Connect Core §9 and
// RFC 7523 §2.2, which Microsoft Entra ID calls a certificate credential.
//
// Instead of a shared secret, the client proves who it is with a short-lived
// JWT it signs itself. The authorization server knows the certificate (Entra:
// uploaded to the app registration, or trusted through its issuer chain) or
// the public key (a JWKS registered with the client), and checks:
//
//   - the header: "alg" (Entra wants PS256; AD FS and many generic servers
//     RS256; ES256 for EC keys; ory/fosite pins one alg per client), and
//     which key signed — "x5t#S256" (base64url SHA-256 of the certificate's
//     DER, RFC 7515 §4.1.8), "x5t" (the SHA-1 of the same, §4.1.7), "kid",
//     or the whole chain in "x5c" for Entra's subject-name/issuer trust;
//   - the claims: "iss" = "sub" = the client id, "aud" = the token endpoint
//     (Entra, fosite) or the issuer (zitadel) or both, a unique "jti", "iat"
//     = "nbf" = now and a short "exp" (5 minutes here; Entra allows 10).
//
// A server remembers every jti until it expires (fosite answers jti_known
// to a second use), so an assertion is never reused: [Signer.Sign] mints a
// new one for every request, retries included.
//
// The certificate and key come from one file ([Load]): PEM (the
// certificate, possibly with its chain, and a PKCS#1, PKCS#8 or SEC 1 EC
// key; legacy encrypted PEM with DEK-Info is refused) or PKCS#12/PFX (the
// OpenSSL 3 default with PBES2/AES and the legacy 3DES/RC2 form), its
// password from the client_certificate_password key. Before any request,
// [FromConfig] checks that the key belongs to the certificate and that the
// certificate is within its validity period, so a mistake is reported as a
// configuration error naming the file rather than as the server's
// invalid_client.
//
// The same kind of JWT, signed with a bare key and naming any issuer and
// subject, is an authorization grant (RFC 7523 §2.1): the assertion of the
// jwt-bearer grant type with which a service account gets a token.
// [ParseKey] and [LoadKey] read such a key from PEM, and [GrantSigner]
// mints a new grant, with a fresh jti, for every request.
package assertion
