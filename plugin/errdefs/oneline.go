package errdefs

import (
	"strings"
	"unicode"
)

// OneLine collapses a message to one line for a terminal: runs of white
// space become one space, and other control characters are dropped.
// Messages carry text from servers and plugins; printed as is, an escape
// sequence in one could move the cursor, rewrite earlier lines or
// recolour the user's terminal. Every keyfob process, the lean front
// included, prints an error through it, so all print the same line.
func OneLine(s string) string {
	return strings.Join(strings.Fields(strings.Map(DropControl, s)), " ")
}

// DropControl maps a control character other than white space to -1, so
// that strings.Map drops it, and every other rune to itself.
func DropControl(r rune) rune {
	if unicode.IsControl(r) && !unicode.IsSpace(r) {
		return -1
	}
	return r
}
