// Command keyfob-engine is the whole of keyfob: CLI, plugin host and
// plugin. Users run keyfob, whose lean front answers cached requests and
// hands everything else to keyfob-engine, installed beside it.
package main

import "github.com/keyfob/keyfob/internal/engine"

func main() { engine.Main() }
