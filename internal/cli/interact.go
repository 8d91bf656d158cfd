package cli

import "github.com/keyfob/keyfob/plugin"

// interactOptions are what a command knows about whether a person can be
// asked (CONTRACT §5). Host protocols set them: kubectl's
// spec.interactive=false means stdin is not the user's; --no-browser asks
// for the URL to be shown instead of opened.
type interactOptions struct {
	// stdinNotUser is set when the host tool owns stdin (kubectl with
	// spec.interactive=false, git, docker, bazel, terraform).
	stdinNotUser bool
	// noBrowser shows sign-in URLs instead of opening a browser.
	noBrowser bool
	// forbid, when not empty, forbids all sign-in and says why.
	forbid string
}

// interaction returns the Interaction served to the plugin for this call,
// or nil when nobody can be asked.
func (e *Env) interaction(p *profile, o interactOptions) plugin.Interaction {
	return nil
}
