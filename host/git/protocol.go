package git

import (
	"context"
	"errors"
	"strings"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
)

// Helper is the program name git runs keyfob as (CONTRACT §3) for
// credential.helper = keyfob.
const Helper = "git-credential-keyfob"

// DefaultUsername is the user name reported with a token when the profile
// sets no git_username and the request carries none: git needs one,
// servers that take a token as a Basic password ignore it, and GitLab
// expects exactly this one for OAuth tokens.
const DefaultUsername = "oauth2"

// exitInteraction is the exit code of a failure that needs a person who
// cannot be reached (CONTRACT §7).
const exitInteraction = 4

// Protocol is keyfob git: the credential helper protocol as a keyfob
// command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "git" }

// Aliases is Helper.
func (Protocol) Aliases() []string { return []string{Helper} }

// Help describes keyfob git.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "git get|store|erase",
		Short: "git credential helper (also run as git-credential-keyfob)",
		Long: `git credential helper. get answers with a token for the profile named by -p, or the
profile whose hosts match the remote (a user in the remote URL, alice@dev.azure.com, selects
alice's profile); for hosts no profile serves it prints nothing, so git moves on. erase drops
the cached access token after the server rejected it (the sign-in is kept); store does nothing.`,
		Example: `  keyfob install-helpers ~/bin          # puts git-credential-keyfob on PATH
  git config --global credential.https://dev.azure.com.helper keyfob
  git config --global credential.https://dev.azure.com.useHttpPath true   # for URL-prefix hosts`,
		MinArgs: 1, MaxArgs: 1, Tool: "git",
	}
}

// Serve answers get and erase. store does nothing: git sends it to every
// helper once a credential worked, including the helper that produced
// it, and keyfob's tokens come from the profile and its cache, so there
// is nothing to keep (gh auth git-credential does the same). Any other
// action is one git added later, which helpers must ignore.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	switch args[0] {
	case "get":
		return get(ctx, s)
	case "erase":
		return erase(s)
	}
	return nil
}

// get answers with a token. When sign-in is needed and impossible it
// answers quit=1, so that git stops instead of prompting for a password
// the server would not take; other failures leave git to its other
// helpers. Either way the reason goes to stderr, which git shows.
func get(ctx context.Context, s protocol.Session) error {
	req, p, err := selected(s)
	if err != nil || p == nil {
		return err
	}
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		if s.ExitCode(err) == exitInteraction {
			_ = WriteQuit(s.Stdout())
		}
		return err
	}
	return Write(s.Stdout(), Answer(req, p.Values, e))
}

// erase drops the cached access token git reports as rejected; the
// refresh state stays, so the next get refreshes without a new sign-in.
func erase(s protocol.Session) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	req, p, err := selected(s)
	if err != nil || p == nil {
		return err
	}
	rejected := req.Password
	if req.Credential != "" {
		rejected = req.Credential
	}
	return s.Forget(p, rejected)
}

// selected reads git's request and selects its profile: nil when no
// profile serves it, or it is not for http or https.
func selected(s protocol.Session) (*Request, *protocol.Profile, error) {
	req, err := Parse(s.Stdin("git"))
	if err != nil {
		return nil, nil, requestError(s, err)
	}
	r, ok := Selection(req)
	if !ok {
		return nil, nil, nil
	}
	p, err := s.Select(r)
	return req, p, err
}

// requestError is the error of a request that could not be read: the
// *protocol.StdinTimeout alone when there is one; any other the engine
// reports as it is, and the front hands off.
func requestError(s protocol.Session, err error) error {
	var te *protocol.StdinTimeout
	switch {
	case errors.As(err, &te):
		return te
	case s.CacheOnly():
		return protocol.ErrHandOff
	}
	return err
}

// Selection is the request as profile selection sees it. It reports false
// for protocols other than http and https (certificates, SSH), which
// keyfob never answers.
func Selection(req *Request) (protocol.Request, bool) {
	p := strings.ToLower(req.Protocol)
	if (p != "https" && p != "http") || req.Host == "" {
		return protocol.Request{}, false
	}
	return protocol.Request{Host: req.Host, User: req.Username, URL: req.URL()}, true
}

// Answer is keyfob's answer to get: the Bearer form when git announced
// capability[]=authtype, else username and password. The user name is
// git_username, else the request's own, else DefaultUsername.
func Answer(req *Request, values map[string]string, e *cache.Entry) Credential {
	user := firstOf(values["git_username"], req.Username, DefaultUsername)
	return Credential{Username: user, Token: e.AccessToken, Expiry: cache.HostExpiry(e), Bearer: req.Has("authtype")}
}

// firstOf returns the first of vals that is not "".
func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
