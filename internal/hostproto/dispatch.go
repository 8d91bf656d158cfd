package hostproto

import (
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
)

// HelperNames are the helper names, in the order install-helpers creates
// them.
func HelperNames() []string { return protocol.HelperNames(all.Protocols()) }

// Dispatch returns the keyfob command line of a process started as argv0
// with args: for a helper name (a ".exe" suffix ignored; see
// protocol.ForProgram) the helper's command followed by args, otherwise
// args unchanged.
func Dispatch(argv0 string, args []string) []string {
	if cmd := HelperCommand(argv0); cmd != "" {
		return append([]string{cmd}, args...)
	}
	return args
}

// HelperCommand returns the keyfob command that the program name argv0
// stands for, or "" when it is not a helper name.
func HelperCommand(argv0 string) string {
	if p := protocol.ForProgram(all.Protocols(), argv0); p != nil {
		return p.Name()
	}
	return ""
}
