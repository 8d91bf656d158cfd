package hostproto

import (
	"strings"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/host/protocol/all"
)

// The names the executable answers to as a host tool's helper (CONTRACT
// §3), for the protocols not yet in host/protocol/all.
const (
	GitHelper    = "git-credential-keyfob"
	DockerHelper = "docker-credential-keyfob"
)

// HelperNames are the helper names, in the order install-helpers creates
// them.
func HelperNames() []string {
	names := []string{GitHelper, DockerHelper}
	return append(names, protocol.HelperNames(all.Protocols())...)
}

// helperCommands maps a helper name to the keyfob command it is.
var helperCommands = map[string]string{
	GitHelper: "git", DockerHelper: "docker",
}

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
	name := argv0[strings.LastIndexAny(argv0, `/\`)+1:]
	if strings.HasSuffix(strings.ToLower(name), ".exe") {
		name = name[:len(name)-len(".exe")]
	}
	if cmd, ok := helperCommands[name]; ok {
		return cmd
	}
	if p := protocol.ForProgram(all.Protocols(), argv0); p != nil {
		return p.Name()
	}
	return ""
}
