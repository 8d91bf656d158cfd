package git

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Credential is a helper's answer to get.
type Credential struct {
	// Username is reported in the username/password form; git needs a
	// non-empty one, or it goes on asking.
	Username string
	// Token is the access token.
	Token string
	// Expiry is when git should stop using the token (password_expiry_utc);
	// zero omits it.
	Expiry time.Time
	// Bearer selects the capability[]=authtype form: authtype=Bearer and
	// credential=<token>. Set it only when the request has the authtype
	// capability.
	Bearer bool
}

// Write writes c as git expects it on stdout. Values holding a newline,
// CR or NUL are refused, since they would break git's line format.
func Write(w io.Writer, c Credential) error {
	var b strings.Builder
	if c.Bearer {
		b.WriteString("capability[]=authtype\nauthtype=Bearer\n")
		line(&b, "credential", c.Token)
	} else {
		line(&b, "username", c.Username)
		line(&b, "password", c.Token)
	}
	if !c.Expiry.IsZero() {
		line(&b, "password_expiry_utc", strconv.FormatInt(c.Expiry.Unix(), 10))
	}
	for _, v := range []string{c.Username, c.Token} {
		if strings.ContainsAny(v, "\r\n\x00") {
			return fmt.Errorf("git credential value holds a line break or NUL")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteQuit writes quit=1: git stops consulting helpers and does not
// prompt. Helpers answer so when sign-in is needed and impossible.
func WriteQuit(w io.Writer) error {
	_, err := io.WriteString(w, "quit=1\n")
	return err
}

func line(b *strings.Builder, k, v string) {
	b.WriteString(k + "=" + v + "\n")
}
