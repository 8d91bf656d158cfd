//go:build unix

package secretref

import "syscall"

// openNonBlock keeps opening a FIFO from blocking until a writer appears;
// the regular-file check then refuses it.
const openNonBlock = syscall.O_NONBLOCK
