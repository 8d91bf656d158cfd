//go:build !unix

package config

import "io/fs"

// identityOf reports false: without Unix file identities LoadIndexed
// takes no snapshot.
func identityOf(fs.FileInfo) (fileIdentity, bool) { return fileIdentity{}, false }

// readSnapshot is never reached.
func readSnapshot(_, _, _ string, _ fileIdentity) (*File, bool) { return nil, false }

// writeSnapshot is never reached.
func writeSnapshot(_, _ string, _ []byte) {}
