package protocol

import (
	"context"
	"strings"
)

// Protocol is a host tool's protocol as a keyfob command. Implementations
// are stateless values, safe for concurrent use.
type Protocol interface {
	// Name is the keyfob command: "git" for keyfob git.
	Name() string
	// Aliases are the program names (argv[0]) that run the command, in
	// the order install-helpers creates them: "git-credential-keyfob".
	// An alias ending in "*" matches every name with that prefix and is
	// not installed (a tool that runs versioned helper names).
	Aliases() []string
	// Help is the command's help text and positional arguments.
	Help() Help
	// Serve answers one request: args are the positional arguments (the
	// faces parse the flags), s the face's Session. It returns nil when it
	// wrote its answer, or an error for the face to report: ErrHandOff
	// (from s) passed through, a *UsageError, a *StdinTimeout, an *Exit.
	Serve(ctx context.Context, s Session, args []string) error
}

// Help is what keyfob help says about a protocol's command.
type Help struct {
	// Use, Short, Long and Example are as in a cobra.Command.
	Use, Short, Long, Example string
	// MinArgs and MaxArgs bound the number of positional arguments.
	MinArgs, MaxArgs int
	// LooseArgs makes a wrong number of arguments an ordinary error
	// (exit 1) rather than a usage error (exit 2), as some commands have
	// always answered.
	LooseArgs bool
	// Profile says how the command's profile is chosen, for its flags'
	// help: ByHost (Session.Select) or AsToken (Session.Default).
	Profile ProfileRule
	// UserStdin says standard input may be the person's rather than the
	// tool's request (kubectl): the protocol calls Session.StdinNotUser
	// when it learns otherwise.
	UserStdin bool
	// RawArgs hands Serve the whole command line, flags included, to
	// parse itself (Session.Sub): cargo sends flags with each request.
	// Serve returns ErrHelp for -h.
	RawArgs bool
	// Switches are boolean flags the command's help lists besides the
	// common ones (with RawArgs, Serve reads them itself).
	Switches []Switch
	// LoneArg, when not "", makes a command line of this argument alone
	// this command: cargo runs a provider with --cargo-plugin alone.
	LoneArg string
	// CommandAliases are other names of the command ("google-exec").
	CommandAliases []string
	// Tool is the host tool's name in prose ("git", "Bazel"), for the help
	// of install-helpers: the tools that run the helper names.
	Tool string
	// HelperDir is where the tool looks for its helper names instead of
	// PATH ("~/.tool.d/plugins"), "" for PATH.
	HelperDir string
}

// Switch is a boolean flag of a protocol's command.
type Switch struct {
	// Name is the flag's name without dashes; Usage its help.
	Name, Usage string
}

// ProfileRule is how a protocol's command chooses its profile.
type ProfileRule int

// The profile rules.
const (
	// ByHost: -p, else the profile whose hosts match the request.
	ByHost ProfileRule = iota
	// AsToken: as for keyfob token, -p, $KEYFOB_PROFILE, default_profile.
	AsToken
)

// Lookup returns the protocol of list named name, or nil.
func Lookup(list []Protocol, name string) Protocol {
	for _, p := range list {
		if p.Name() == name {
			return p
		}
	}
	return nil
}

// ForProgram returns the protocol of list that the program name argv0
// stands for — a ".exe" suffix and the directory ignored — or nil when it
// is none of their aliases.
func ForProgram(list []Protocol, argv0 string) Protocol {
	name := argv0[strings.LastIndexAny(argv0, `/\`)+1:]
	if strings.HasSuffix(strings.ToLower(name), ".exe") {
		name = name[:len(name)-len(".exe")]
	}
	for _, p := range list {
		for _, a := range p.Aliases() {
			if a == name || strings.HasSuffix(a, "*") && strings.HasPrefix(name, strings.TrimSuffix(a, "*")) {
				return p
			}
		}
	}
	return nil
}

// ForArgs returns the command line args stands for: for a lone argument
// that is a protocol's LoneArg, that protocol's command and the argument;
// otherwise args unchanged.
func ForArgs(list []Protocol, args []string) []string {
	if len(args) != 1 {
		return args
	}
	for _, p := range list {
		if a := p.Help().LoneArg; a != "" && a == args[0] {
			return []string{p.Name(), a}
		}
	}
	return args
}

// HelperNames are the aliases of list that install-helpers creates, in
// order.
func HelperNames(list []Protocol) []string {
	var out []string
	for _, p := range list {
		for _, a := range p.Aliases() {
			if !strings.HasSuffix(a, "*") {
				out = append(out, a)
			}
		}
	}
	return out
}

// Dispatch returns the keyfob command line of a process started as argv0
// with args: for a helper name of list (see ForProgram) the protocol's
// command followed by args, otherwise args unchanged.
func Dispatch(list []Protocol, argv0 string, args []string) []string {
	if p := ForProgram(list, argv0); p != nil {
		return append([]string{p.Name()}, args...)
	}
	return args
}
