// Package git speaks git's credential-helper protocol (gitcredentials(7),
// git-credential(1)): it parses the attributes git writes to a helper's
// stdin and renders a helper's answer.
//
// Git runs a helper as "<helper> get|store|erase" through the shell, writes
// key=value lines to its stdin and closes it (no blank line is sent to
// helpers, but one ends the input when a person types it), and reads
// key=value lines from its stdout for get. The exit status is ignored: a
// helper with nothing to offer prints nothing, and one that wants git to
// stop asking prints quit=1.
//
// A token is offered in one of two forms. Git 2.46 and later send
// capability[]=authtype; the answer is then capability[]=authtype,
// authtype=Bearer and credential=<token>, which git sends as an
// Authorization: Bearer header. Older gits (Debian 12 has 2.39) get
// username= and password=<token>, sent as Basic authentication, which
// servers such as Azure DevOps accept for an access token.
// password_expiry_utc (git 2.40 and later; older gits ignore it) tells
// git when to stop using the answer.
//
// The package is pure: it reads and writes streams and never touches the
// process, so it is table-, golden- and fuzz-tested, and the lean front
// executable can use it.
package git
