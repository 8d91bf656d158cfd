// Package safefile reads and checks the files keyfob takes instructions
// from — its configuration file, a plugin executable — so that another
// user of the machine cannot change what keyfob does.
//
// Whoever can write the configuration file can point token_url at a
// server of theirs (keyfob then sends the resolved secret there) or set
// plugin (code then runs as the user); whoever can write a plugin
// executable or its directory runs code as the user. So keyfob follows
// the rule OpenSSH applies to ~/.ssh/config: such a file must be owned by
// the user or by root and must not be writable by group or others
// (group write is allowed for the owner's private group, as Debian's
// OpenSSH allows it; see PrivateGroup).
// Otherwise it is refused with an *UnsafeError naming the file, the owner
// or mode, and the fix.
//
// ReadFile also reads only regular files, without blocking on a FIFO,
// and at most a given size, so a path naming /dev/zero or a pipe fails at
// once instead of growing memory or hanging.
//
// On Windows, where Unix owners and modes do not describe access, the
// owner and mode checks always pass; the regular-file and size checks
// still apply.
package safefile
