//go:build !unix

package safefile

// stat is the Sys value of a file owned by uid and gid: none here.
func stat(int, int) any { return nil }
