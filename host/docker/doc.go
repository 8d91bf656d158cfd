// Package docker speaks the docker credential helper protocol
// (docker/docker-credential-helpers), which the docker CLI, buildx,
// go-containerregistry (crane, ko), helm, oras and podman use.
//
// The client runs docker-credential-NAME with one argument, the action,
// and no shell:
//
//	get      stdin: the server URL        stdout: {"ServerURL","Username","Secret"}
//	store    stdin: that JSON             stdout: nothing
//	erase    stdin: the server URL        stdout: nothing
//	list     stdin: nothing (or "unused") stdout: {"<server URL>":"<username>",...}
//	version                               stdout: one line
//
// Errors go to stdout, with exit status 1; the exact message
// "credentials not found in native keychain" means "nothing here", and
// docker then carries on without credentials.
//
// Username "<token>" marks Secret as an identity token: a refresh token
// for the registry's token server, which docker trades for registry access
// tokens. An OAuth access token is therefore never returned with it; it
// goes with an ordinary user name, as a password. Azure Container Registry
// is the exception worth supporting: an Entra access token is exchanged at
// the registry (package acr) for an ACR refresh token, and that one is an
// identity token.
//
// The package is pure, so it is table-, golden- and fuzz-tested, and the
// lean front executable can use it.
package docker
