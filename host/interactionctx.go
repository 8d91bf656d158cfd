package host

import (
	"context"

	"github.com/keyfob/keyfob/plugin"
)

// interactionKey is the context key of WithInteraction.
type interactionKey struct{}

// WithInteraction returns a copy of ctx that carries ia, the way the
// person is reached during the call made with it: a Plugin's GetToken
// serves ia to the plugin instead of Options.Interaction, as
// x/oauth2 takes its HTTP client from a context. Cache sets it for each
// call it makes of its getter.
func WithInteraction(ctx context.Context, ia plugin.Interaction) context.Context {
	return context.WithValue(ctx, interactionKey{}, ia)
}

// interactionFrom returns the Interaction ctx carries, or def.
func interactionFrom(ctx context.Context, def plugin.Interaction) plugin.Interaction {
	if ia, ok := ctx.Value(interactionKey{}).(plugin.Interaction); ok && ia != nil {
		return ia
	}
	return def
}
