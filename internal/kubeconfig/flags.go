package kubeconfig

import (
	"strings"
)

// flagSet is an old plugin's command line, parsed without knowing all its
// flags: --name=value, --name value, a boolean --name, and short aliases.
type flagSet struct {
	values map[string][]string
	names  []string // in order of first appearance
	extra  []string // arguments that are not flags
}

// parseFlags parses args; bools are the flags that take no value, aliases
// map a short flag ("-l") to its long name ("login").
func parseFlags(args []string, bools map[string]bool, aliases map[string]string) flagSet {
	f := flagSet{values: map[string][]string{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		var name, value string
		var inline bool
		switch {
		case a == "--":
			f.extra = append(f.extra, args[i+1:]...)
			return f
		case strings.HasPrefix(a, "--"):
			name, value, inline = strings.Cut(a[2:], "=")
		case strings.HasPrefix(a, "-") && len(a) > 1:
			name, value, inline = strings.Cut(a[1:], "=")
			if long, ok := aliases[name]; ok {
				name = long
			}
		default:
			f.extra = append(f.extra, a)
			continue
		}
		if !inline {
			if bools[name] {
				value = "true"
			} else if i+1 < len(args) {
				i++
				value = args[i]
			}
		}
		f.add(name, value)
	}
	return f
}

func (f *flagSet) add(name, value string) {
	if _, ok := f.values[name]; !ok {
		f.names = append(f.names, name)
	}
	f.values[name] = append(f.values[name], value)
}

// get returns the last value of a flag, "" when absent.
func (f flagSet) get(name string) string {
	v := f.values[name]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// has reports whether a flag was given.
func (f flagSet) has(name string) bool { return len(f.values[name]) > 0 }

// isTrue reports whether a boolean flag is set and not false.
func (f flagSet) isTrue(name string) bool {
	return f.has(name) && f.get(name) != "false"
}

// list returns a list flag's values, comma-separated values split.
func (f flagSet) list(name string) []string {
	var out []string
	for _, v := range f.values[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// unknown returns the flags given that are not in known, in order.
func (f flagSet) unknown(known map[string]bool) []string {
	var out []string
	for _, n := range f.names {
		if !known[n] {
			out = append(out, "--"+n)
		}
	}
	return out
}

// conversion is a keyfob command line made from an old one.
type conversion struct {
	args    []string // after "kubectl"
	env     []EnvVar // secrets moved off the command line
	ignored []string // old flags without a keyfob meaning
}

// set appends --key=value when value is not empty.
func (c *conversion) set(key, value string) {
	if value != "" {
		c.args = append(c.args, "--"+key+"="+value)
	}
}

// secret carries a secret flag: a literal moves into the exec env as
// envName and is referenced; an env:/file: reference stays as it is.
func (c *conversion) secret(key, value, envName string) {
	if value == "" {
		return
	}
	if strings.HasPrefix(value, "env:") || strings.HasPrefix(value, "file:") {
		c.set(key, value)
		return
	}
	c.env = append(c.env, EnvVar{Name: envName, Value: value})
	c.set(key, "env:"+envName)
}
