// Package grant holds the building blocks every grant provider shares:
// a token-endpoint client configured from a profile (endpoints, client
// authentication, transport), the requested scopes, the conversion of a
// token response into a plugin.Token, and the opaque refresh state that
// travels back to the host.
//
// Third-party providers may use it too; it is built only on the public
// plugin and plugin/oauth packages.
package grant
