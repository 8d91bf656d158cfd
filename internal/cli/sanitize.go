package cli

import "unicode"

// dropControl maps control characters other than whitespace to nothing.
// Error messages carry text from servers and plugins; printed as is, an
// escape sequence in it could move the cursor, rewrite earlier lines or
// recolour the user's terminal.
func dropControl(r rune) rune {
	if unicode.IsControl(r) && !unicode.IsSpace(r) {
		return -1
	}
	return r
}
