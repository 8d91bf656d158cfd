package authcode

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/grant"
	"github.com/keyfob/keyfob/plugin/providers/internal/delegated"
)

// pasteMessage introduces the URL in paste mode.
const pasteMessage = "To sign in, open this URL in a browser on any machine. When the sign-in ends, " +
	"copy the address of the page the browser shows (it starts with %s, and may say it cannot be reached) and paste it here:"

// paste signs in with the user carrying the final redirect address back
// by hand (for SSH sessions): show the URL, ask for the address, check
// its state.
func paste(ctx context.Context, ia plugin.Interaction, s *grant.Setup, o *options, pk pkce) (string, string, error) {
	redirect := o.redirect.String()
	authURL := authorizeURL(s, o, pk, redirect)
	if err := show(ctx, ia, authURL, o, fmt.Sprintf(pasteMessage, redirect)); err != nil {
		return "", "", err
	}
	answer, err := ia.Prompt(ctx, "Address of the page the browser ended on: ", false)
	if err != nil {
		return "", "", delegated.Needed("the redirect address cannot be asked for", err)
	}
	q, err := pastedQuery(answer)
	if err != nil {
		return "", "", err
	}
	code, err := judge(q, expectFor(s, pk.state))
	return redirect, code, err
}

// pastedQuery reads the parameters of a pasted redirect address: a whole
// URL, or only its query.
func pastedQuery(s string) (url.Values, error) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '?'); i >= 0 {
		s = s[i+1:]
	}
	s, _, _ = strings.Cut(s, "#")
	q, err := url.ParseQuery(s)
	if err != nil || (q.Get("code") == "" && q.Get("error") == "") {
		return nil, plugin.Configf("the pasted text is not the redirect address: it has no code (or error) parameter")
	}
	return q, nil
}
