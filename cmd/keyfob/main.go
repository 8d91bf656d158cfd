//go:build unix

// Command keyfob gets OAuth 2.0 access tokens and hands them to the tools
// that need them. This executable is the lean front: it answers from the
// token cache when it can and otherwise becomes keyfob-engine (installed
// beside it), which runs the CLI, the plugin host and the plugin.
package main

import "github.com/keyfob/keyfob/internal/front"

func main() { front.Main() }
