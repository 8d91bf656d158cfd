// Package terraform speaks the credentials helper protocol of Terraform
// and OpenTofu (Terraform's internals/credentials-helpers).
//
// Terraform runs terraform-credentials-NAME [args...] VERB HOST from its
// plugin directory, for every host it contacts (service discovery, module
// and provider registries, remote backends):
//
//	get HOST      stdin: none         stdout: {"token":"..."}, or {} for no credentials
//	store HOST    stdin: {"token":…}  stdout: nothing
//	forget HOST   stdin: none         stdout: nothing
//
// Failures are a non-zero exit with a message on stderr, which Terraform
// shows only then. Terraform asks once per host per process and keeps the
// answer for the whole run, without an expiry, so a helper hands out a
// token that lasts (see MinValidity).
//
// The package is pure, so it is golden- and fuzz-tested, and the lean
// front executable can use it.
package terraform
