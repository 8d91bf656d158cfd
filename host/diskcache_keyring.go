package host

import (
	"context"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/keyring"
	"github.com/keyfob/keyfob/plugin"
)

// KeyringLockKey is the cache lock that serialises creating the keyring
// key between keyfob processes.
const KeyringLockKey = "keyfob keyring key"

// sealState switches t's store to refresh state sealed with the key in
// the OS keyring ($KEYFOB_KEYRING: auto, off or require), reading
// plaintext state written earlier once and sealing it. It runs on the
// slow path only, under the per-key lock, so a cache hit never pays for
// the keyring. An unusable keyring is one info-level line, not an error,
// unless it is required.
func (t *call) sealState(ctx context.Context) error {
	logger := t.c.opts.Logger
	mode, err := keyring.ParseMode(t.c.opts.Getenv("KEYFOB_KEYRING"))
	if err != nil {
		logger.Warn("ignoring KEYFOB_KEYRING", "error", err)
	}
	plain := t.disk
	sealer, st := keyring.Sealer(ctx, keyring.Options{Mode: mode, Lock: func(ctx context.Context) (func(), error) {
		return plain.Lock(ctx, KeyringLockKey, nil)
	}})
	logger.Info(st.String())
	if sealer == nil {
		if mode == keyring.Require {
			return plugin.Configf("KEYFOB_KEYRING=require, but the OS keyring (%s) is not usable: %v", st.Backend, st.Err)
		}
		return nil
	}
	sealed, err := cache.Open(plain.Path(), cache.Options{Sealer: sealer, MigratePlain: true})
	if err != nil {
		return plugin.Configf("%v", err)
	}
	t.disk = sealed
	return nil
}
