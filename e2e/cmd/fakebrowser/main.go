// Command fakebrowser is a scripted browser for end-to-end tests of
// keyfob's browser sign-in, to be set as $BROWSER: keyfob runs it with
// the authorization URL as its one argument.
//
// It signs in at the zitadel server of package servers (servers.Browse):
// it loads the URL, fills in the login form, follows the redirects and
// finally loads the redirect to keyfob's loopback listener. Settings come
// from the environment:
//
//	FAKEBROWSER_USER, FAKEBROWSER_PASSWORD  who signs in (default: the
//	                                        server's example user for the URL's host)
//	FAKEBROWSER_NO_REDIRECT=1               stop before loading the redirect and
//	                                        print it on stdout (paste mode)
//	FAKEBROWSER_LOG=FILE                    append "URL\n" for every run, so a test can
//	                                        tell whether a browser was started
//
// It exits 0 after a sign-in the client answered with a 2xx page, else 1
// with a message on stderr.
package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"time"

	"github.com/keyfob/keyfob/e2e/servers"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fakebrowser:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: fakebrowser URL")
	}
	if err := logRun(args[0]); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	user := userFor(args[0])
	if os.Getenv("FAKEBROWSER_NO_REDIRECT") == "1" {
		u, err := servers.Authorize(ctx, args[0], user)
		if err != nil {
			return err
		}
		_, err = fmt.Println(u.String())
		return err
	}
	_, err := servers.Browse(ctx, args[0], user)
	return err
}

// userFor is the user from the environment, else the server's own.
func userFor(authorizeURL string) servers.User {
	if name := os.Getenv("FAKEBROWSER_USER"); name != "" {
		return servers.User{Username: name, Password: os.Getenv("FAKEBROWSER_PASSWORD")}
	}
	issuer := authorizeURL
	if u, err := url.Parse(authorizeURL); err == nil {
		issuer = u.Scheme + "://" + u.Host
	}
	return servers.ZitadelUser(issuer)
}

// logRun appends the URL to $FAKEBROWSER_LOG, when set.
func logRun(u string) error {
	path := os.Getenv("FAKEBROWSER_LOG")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, u); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
