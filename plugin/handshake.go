package plugin

import goplugin "github.com/hashicorp/go-plugin"

// Handshake is the go-plugin handshake of keyfob.v1 (CONTRACT §8). A host
// and a plugin only talk when both use these values.
var Handshake = goplugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "KEYFOB_PLUGIN",
	MagicCookieValue: "7d1c0e5a-keyfob-token-plugin",
}

// ProtocolVersion is the go-plugin protocol version of keyfob.v1. A
// breaking change becomes keyfob.v2 with protocol version 2.
const ProtocolVersion = 1

// PluginKey is the go-plugin plugin-set key under which the token service
// is dispensed.
const PluginKey = "token"

// IsPluginLaunch reports whether the process was started by a go-plugin
// host with keyfob's handshake cookie in its environment.
func IsPluginLaunch(getenv func(string) string) bool {
	return getenv(Handshake.MagicCookieKey) == Handshake.MagicCookieValue
}
