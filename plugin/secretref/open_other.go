//go:build !unix

package secretref

// openNonBlock is 0 where FIFOs cannot block an open.
const openNonBlock = 0
