package plugin

import (
	"context"
	"time"
)

// maxReplyMargin caps the part of the host's deadline a provider leaves
// for its answer to travel back.
const maxReplyMargin = 500 * time.Millisecond

// withReplyMargin returns ctx with its deadline moved a little earlier: a
// tenth of the time left, at most maxReplyMargin. gRPC hands the plugin
// the host's own deadline; a provider that gave up exactly then would
// race the host, which would see a bare "context deadline exceeded"
// instead of the provider's error naming the server and the condition.
// Without a deadline ctx is returned as is (with a cancel func).
func withReplyMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return context.WithCancel(ctx)
	}
	margin := min(maxReplyMargin, time.Until(deadline)/10)
	return context.WithDeadline(ctx, deadline.Add(-max(margin, 0)))
}
