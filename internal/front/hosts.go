package front

import (
	"io"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/internal/hostproto"
)

// hostProfile selects the profile for a host protocol's request as the
// engine does (cli's hostProfile): nothing is true when no profile serves
// r (after saying why on stderr if a selected one refuses); ok is false
// to decline.
func hostProfile(env Env, flagProfile string, r hostproto.Request) (values map[string]string, nothing, ok bool) {
	f, ok := loadConfig(env)
	if !ok {
		return nil, false, false
	}
	name, found := hostproto.Choose(f, env.Getenv, flagProfile, r)
	if !found {
		return nil, true, true
	}
	if values, ok = expanded(env, f, name); !ok {
		return nil, false, false
	}
	if why := hostproto.Refusal(name, values, r, flagProfile != ""); why != "" {
		_, _ = io.WriteString(env.Stderr, "keyfob: "+why+"\n")
		return nil, true, true
	}
	return values, false, true
}

// fixed is a minimum validity that does not depend on the entry.
func fixed(v time.Duration) func(*cache.Entry) time.Duration {
	return func(*cache.Entry) time.Duration { return v }
}
