package terraform

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
)

// Helper is the program name Terraform runs keyfob as (CONTRACT §3), from
// its plugin directory; it also accepts the versioned Helper_vX.Y.Z.
const Helper = "terraform-credentials-keyfob"

// Protocol is keyfob terraform: the credentials helper protocol as a
// keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "terraform" }

// Aliases are Helper and its versioned forms.
func (Protocol) Aliases() []string { return []string{Helper, Helper + "_v*"} }

// Help describes keyfob terraform.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "terraform get|store|forget HOST",
		Short: "Terraform credentials helper (also run as terraform-credentials-keyfob)",
		Long: `Terraform and OpenTofu credentials helper. get prints {"token": ...} for the profile named
by -p or whose hosts match HOST, valid for 30 minutes or half the token's lifetime, whichever is
less (Terraform keeps it for the whole run), and {} for hosts no profile serves. forget drops the
cached access token. store refuses: keyfob gets tokens, it does not keep other ones.`,
		Example: `  keyfob install-helpers ~/.terraform.d/plugins
  # ~/.terraformrc
  credentials_helper "keyfob" {}`,
		MinArgs: 2, MaxArgs: 2, Tool: "Terraform", HelperDir: "~/.terraform.d/plugins",
	}
}

// Serve answers VERB HOST.
func (Protocol) Serve(ctx context.Context, s protocol.Session, args []string) error {
	verb, r := args[0], Request(args[1])
	switch verb {
	case Get:
		return get(ctx, s, r)
	case Forget:
		return forget(s, r)
	case Store:
		return store(s, r)
	}
	return protocol.Usagef("unknown credentials helper verb %q (want get, store or forget)", verb)
}

// Request is the request for a Terraform host (in its comparison form,
// possibly with a port); Terraform only speaks HTTPS.
func Request(host string) protocol.Request {
	host = strings.ToLower(strings.TrimSpace(host))
	return protocol.Request{Host: host, URL: "https://" + host + "/"}
}

// get answers with a token that lasts: unless --min-validity is given, a
// cached token must stay valid for MinValidity of its lifetime.
func get(ctx context.Context, s protocol.Session, r protocol.Request) error {
	p, err := s.Select(r)
	if err != nil {
		return err
	}
	if p == nil {
		return WriteNone(s.Stdout())
	}
	e, err := s.Token(ctx, p, protocol.Want{MinValidity: EntryMinValidity})
	if err != nil {
		return err
	}
	return WriteToken(s.Stdout(), e.AccessToken)
}

// EntryMinValidity is the minimum validity a cached entry must have to be
// handed to Terraform: MinValidity of its lifetime (LongValidity for nil).
func EntryMinValidity(e *cache.Entry) time.Duration {
	var lifetime time.Duration
	if e != nil && !e.IssuedAt.IsZero() && !e.ExpiresAt.IsZero() {
		lifetime = e.ExpiresAt.Sub(e.IssuedAt)
	}
	return MinValidity(lifetime)
}

// forget drops the host's cached access token.
func forget(s protocol.Session, r protocol.Request) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	p, err := s.Select(r)
	if err != nil || p == nil {
		return err
	}
	return s.Forget(p, "")
}

// store reads what terraform login obtained and refuses it politely:
// keyfob hands out the tokens of its profiles and keeps no others.
func store(s protocol.Session, r protocol.Request) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	if _, err := ParseStore(s.Stdin("terraform")); err != nil {
		return protocol.RequestError(err)
	}
	name, err := s.Matching(r)
	if err != nil {
		return err
	}
	if name != "" {
		return fmt.Errorf("not storing a token for %s: keyfob gets the tokens for it from profile %q, so terraform login is not needed", r.Host, name)
	}
	return fmt.Errorf("not storing a token for %s: keyfob only hands out the tokens of its profiles; add %q to the hosts of a profile instead", r.Host, r.Host)
}
