package cli

import "github.com/keyfob/keyfob/plugin/errdefs"

// dropControl maps control characters other than whitespace to nothing
// (errdefs.DropControl). Error messages carry text from servers and
// plugins; printed as is, an escape sequence in it could move the cursor,
// rewrite earlier lines or recolour the user's terminal.
func dropControl(r rune) rune { return errdefs.DropControl(r) }
