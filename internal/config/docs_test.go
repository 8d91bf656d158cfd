package config_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/providers/all"
)

// updateDocs rewrites the generated parts of docs/config.md.
var updateDocs = flag.Bool("update-docs", false, "rewrite the generated tables of docs/config.md")

// configDoc is the documentation the tables are generated into.
var configDoc = filepath.Join("..", "..", "docs", "config.md")

// TestConfigDocs fails when docs/config.md's key tables differ from
// config.Keys and the built-in providers' keys, both generated from the
// registry (host/keyspec). Fix it with
//
//	go test ./internal/config -run TestConfigDocs -update-docs
func TestConfigDocs(t *testing.T) {
	data, err := os.ReadFile(configDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	for _, s := range []struct{ name, body string }{
		{"keys", keysTable()},
		{"providers", providersTables()},
	} {
		updated, err := replaceSection(doc, s.name, s.body)
		if err != nil {
			t.Fatal(err)
		}
		if updated != doc && !*updateDocs {
			t.Errorf("docs/config.md: the generated %q section is out of date (-want +got):\n%s\nrun: go test ./internal/config -run TestConfigDocs -update-docs",
				s.name, cmp.Diff(section(updated, s.name), section(doc, s.name)))
		}
		doc = updated
	}
	if *updateDocs {
		if err := os.WriteFile(configDoc, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range config.KeyNames() {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/config.md does not mention key %s", name)
		}
	}
}

// TestProviderKeysAreKnown: every key a built-in provider reads can be
// written in a profile (an unknown key is refused when the file is read),
// with the kinds its ProviderInfo gives it.
func TestProviderKeysAreKnown(t *testing.T) {
	t.Parallel()
	for _, p := range all.Registry().Providers() {
		for _, k := range p.Keys {
			spec, ok := config.Lookup(k.Name)
			if !ok {
				t.Errorf("provider %s reads key %s, which config.Keys lacks (run go test ./host/keyspec -update)", p.Name, k.Name)
			}
			if kinds := [3]bool{k.Secret, k.List, k.Bool}; kinds != [3]bool{spec.Secret, spec.List, spec.Bool} {
				t.Errorf("provider %s: key %s is {secret list bool} %v, but config.Keys says %v", p.Name, k.Name,
					kinds, [3]bool{spec.Secret, spec.List, spec.Bool})
			}
		}
	}
}

// markers delimit a generated section.
func markers(name string) (begin, end string) {
	return "<!-- BEGIN GENERATED " + name + ": go test ./internal/config -run TestConfigDocs -update-docs -->\n",
		"<!-- END GENERATED " + name + " -->\n"
}

// section returns the text between a section's markers.
func section(doc, name string) string {
	begin, end := markers(name)
	_, rest, _ := strings.Cut(doc, begin)
	body, _, _ := strings.Cut(rest, end)
	return body
}

// replaceSection puts body between a section's markers.
func replaceSection(doc, name, body string) (string, error) {
	begin, end := markers(name)
	head, rest, ok := strings.Cut(doc, begin)
	if !ok {
		return "", fmt.Errorf("docs/config.md has no line %q", strings.TrimSpace(begin))
	}
	_, tail, ok := strings.Cut(rest, end)
	if !ok {
		return "", fmt.Errorf("docs/config.md has no line %q", strings.TrimSpace(end))
	}
	return head + begin + body + end + tail, nil
}

// keysTable renders config.Keys.
func keysTable() string {
	var b strings.Builder
	b.WriteString("| Key | Kind | Read by | Description |\n|---|---|---|---|\n")
	for _, k := range config.Keys {
		kind := "string"
		switch {
		case k.List:
			kind = "list"
		case k.Bool:
			kind = "bool"
		}
		if k.Secret {
			kind += ", secret"
		}
		readBy := "keyfob"
		if len(k.Providers) > 0 {
			readBy = strings.Join(k.Providers, ", ")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.Name, kind, readBy, cell(k.Description))
	}
	return b.String()
}

// providersTables renders each built-in provider's keys.
func providersTables() string {
	var b strings.Builder
	for i, p := range all.Registry().Providers() {
		if i > 0 {
			b.WriteString("\n")
		}
		interactive := ""
		if p.Interactive {
			interactive = " Interactive: it may need a person."
		}
		fmt.Fprintf(&b, "#### `%s`\n\n%s.%s\n\n| Key | Required | Description |\n|---|---|---|\n", p.Name, upperFirst(p.Description), interactive)
		for _, k := range p.Keys {
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", k.Name, yes(k.Required), cell(describeKey(k)))
		}
	}
	return b.String()
}

// describeKey adds the kind of a key to its description.
func describeKey(k plugin.KeyInfo) string {
	var notes []string
	if k.Secret {
		notes = append(notes, "secret: a literal, env:NAME or file:PATH")
	}
	if k.List {
		notes = append(notes, "list")
	}
	if k.Bool {
		notes = append(notes, "true or false")
	}
	if len(notes) == 0 {
		return k.Description
	}
	return k.Description + " (" + strings.Join(notes, "; ") + ")"
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// cell escapes text for a table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
