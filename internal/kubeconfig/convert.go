package kubeconfig

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// Change reports what Convert did with one user's exec entry.
type Change struct {
	// User is the users[].name.
	User string
	// From names the plugin found: "Azure/kubelogin" or "int128/kubelogin".
	From string
	// Skipped, when not empty, says why the entry was left unchanged.
	Skipped string
	// Ignored lists flags of the old plugin that have no keyfob meaning
	// (cache directories, browser options) and were dropped.
	Ignored []string
}

// Convert rewrites every users[].user.exec entry of a kubeconfig (YAML or
// JSON) that runs Azure/kubelogin or int128/kubelogin into one that runs
// command (usually "keyfob") as "keyfob kubectl" with the same sign-in as
// profile flags (CONTRACT §4: a kubeconfig line can carry a complete
// profile). Literal secrets on the old command line move into the entry's
// env and are referenced as env:NAME, since keyfob takes no secret on its
// command line. Entries it cannot convert faithfully are left unchanged
// and reported with a reason. The output is YAML; other content is kept.
func Convert(in []byte, command string) ([]byte, []Change, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(in, &doc); err != nil {
		return nil, nil, fmt.Errorf("kubeconfig: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, nil, fmt.Errorf("kubeconfig: empty document")
	}
	users := mapValue(doc.Content[0], "users")
	if users == nil || users.Kind != yaml.SequenceNode {
		return in, nil, nil
	}
	var changes []Change
	for _, u := range users.Content {
		if ch, ok, err := convertUser(u, command); err != nil {
			return nil, nil, err
		} else if ok {
			changes = append(changes, ch)
		}
	}
	out, err := encode(&doc)
	if err != nil {
		return nil, nil, err
	}
	return out, changes, nil
}

// convertUser converts one users[] item; ok is false when its exec entry
// runs neither kubelogin.
func convertUser(u *yaml.Node, command string) (Change, bool, error) {
	execNode := mapValue(mapValue(u, "user"), "exec")
	if execNode == nil {
		return Change{}, false, nil
	}
	var old Exec
	if err := execNode.Decode(&old); err != nil {
		return Change{}, false, nil // not an exec entry this package understands; leave it
	}
	name := ""
	if n := mapValue(u, "name"); n != nil {
		name = n.Value
	}
	plugin, args := detect(old)
	if plugin == nil {
		return Change{}, false, nil
	}
	ch := Change{User: name, From: plugin.name}
	conv, err := plugin.convert(parseFlags(args, plugin.boolFlags, plugin.aliases))
	if err != nil {
		ch.Skipped = err.Error()
		return ch, true, nil
	}
	ch.Ignored = conv.ignored
	next := KeyfobExec(command, old.APIVersion, conv.args...)
	next.Env = append(withoutEnv(old.Env, conv.env), conv.env...)
	next.ProvideClusterInfo = old.ProvideClusterInfo
	if old.InteractiveMode != "" {
		next.InteractiveMode = old.InteractiveMode
	}
	var node yaml.Node
	if err := node.Encode(next); err != nil {
		return Change{}, false, fmt.Errorf("kubeconfig: %w", err)
	}
	*execNode = node
	return ch, true, nil
}

// withoutEnv drops from env the variables that replace sets.
func withoutEnv(env, replace []EnvVar) []EnvVar {
	var out []EnvVar
	for _, e := range env {
		keep := true
		for _, r := range replace {
			keep = keep && e.Name != r.Name
		}
		if keep {
			out = append(out, e)
		}
	}
	return out
}

// mapValue returns the value of key in a mapping node, or nil.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
