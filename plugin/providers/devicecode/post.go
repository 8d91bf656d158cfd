package devicecode

import (
	"context"
	"net/url"

	"github.com/keyfob/keyfob/plugin/entra"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// postForm POSTs form to the device authorization endpoint with c's
// client id and client authentication and returns the body of a 2xx
// answer. It goes through the token client (oauth.Client.Post), so it is
// retried like a token request: 5xx, temporarily_unavailable and network
// failures twice with backoff, 429 after its Retry-After when the
// deadline allows, OAuth 4xx never. An error answer is a
// *plugin.OAuthError, with an Entra hint where one applies.
func postForm(ctx context.Context, c *oauth.Client, endpoint string, form url.Values) ([]byte, error) {
	body, err := c.Post(ctx, endpoint, form)
	return body, entra.Wrap(err)
}
