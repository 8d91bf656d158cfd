// Command keyfob gets OAuth 2.0 access tokens and hands them to the tools
// that need them. On Windows, which cannot replace a process image, it is
// the whole engine: CLI, plugin host and plugin.
package main

import "github.com/keyfob/keyfob/internal/engine"

func main() { engine.Main() }
