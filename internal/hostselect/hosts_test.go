package hostselect

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/config"
	"github.com/keyfob/keyfob/internal/entraprofile"
)

// hostsExpandingAll is Hosts as it was defined before it read only hosts
// keys: every profile copied and expanded.
func hostsExpandingAll(f *config.File, getenv func(string) string) map[string][]string {
	out := map[string][]string{}
	for _, name := range f.ProfileNames() {
		p, err := f.Profile(name)
		if err != nil {
			continue
		}
		values := p.Values
		if exp, err := entraprofile.Expand(p.Values, getenv); err == nil {
			values = exp
		}
		if list := hostsOf(values); len(list) > 0 {
			out[name] = list
		}
	}
	return out
}

// presetConfig has profiles whose hosts come, or do not come, from a
// preset, in every way Expand decides it.
const presetConfig = `
[profiles.graph]
preset = "graph"
[profiles.graph-usgov]
preset = "graph"
cloud = "usgov"
[profiles.graph-env-cloud]
preset = "GRAPH"
tenant_id = "t"
[profiles.graph-own-hosts]
preset = "graph"
hosts = ["mine.example"]
[profiles.graph-empty-hosts]
preset = "graph"
hosts = []
[profiles.devops-china]
preset = "azure-devops"
cloud = "china"
[profiles.devops-china-hosts]
preset = "azure-devops"
cloud = "china"
hosts = "dev.example"
[profiles.unknown-preset]
preset = "nonsense"
[profiles.empty-preset]
preset = ""
[profiles.bad-cloud]
preset = "graph"
cloud = "mars"
[profiles.environment]
provider = "environment"
preset = "storage"
[profiles.workload]
provider = "workload_identity"
preset = "keyvault"
[profiles.acr]
preset = "acr"
[profiles.plain]
hosts = ["plain.example", "*.plain.example:8443", "https://u@plain.example/org/"]
[profiles.none]
client_id = "c"
`

func TestHostsAsExpanded(t *testing.T) {
	t.Parallel()
	f := loadFile(t, presetConfig)
	for _, env := range []map[string]string{{}, {"AZURE_AUTHORITY_HOST": "https://login.chinacloudapi.cn"},
		{"ARM_ENVIRONMENT": "usgovernment", "AZURE_TENANT_ID": "t", "AZURE_CLIENT_ID": "c"}, {"ARM_ENVIRONMENT": "nowhere"}} {
		getenv := func(k string) string { return env[k] }
		want := hostsExpandingAll(f, getenv)
		if diff := cmp.Diff(want, Hosts(f, getenv)); diff != "" {
			t.Errorf("Hosts with %v (-every profile expanded +got):\n%s", env, diff)
		}
		for _, host := range []string{"graph.microsoft.com", "graph.microsoft.us", "mine.example", "dev.azure.com",
			"a.blob.core.windows.net", "a.vault.azure.net", "plain.example", "x.plain.example:8443", "dev.example"} {
			r := protocol.Request{Host: host, URL: "https://" + host + "/org/r"}
			wantName, wantOK := config.MatchHosts(want, r.Host, "", r.User, r.URL)
			if name, ok := Choose(f, getenv, "", r); name != wantName || ok != wantOK {
				t.Errorf("Choose(%s) with %v = %q, %v; want %q, %v", host, env, name, ok, wantName, wantOK)
			}
		}
	}
}

// TestChooseReadsOnlyHosts checks that matching a host in a file of many
// profiles neither copies nor expands each profile: the allocations do
// not grow with the number of profiles that do not match.
func TestChooseReadsOnlyHosts(t *testing.T) {
	var b strings.Builder
	b.WriteString("[profiles.bench]\nprovider = \"client_credentials\"\nclient_id = \"b\"\nhosts = [\"git.bench.example\"]\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "[profiles.p%d]\nprovider = \"client_credentials\"\ntoken_url = \"https://idp%d.example/token\"\n"+
			"client_id = \"c%d\"\nscopes = [\"api\"]\nhosts = [\"h%d.example\", \"https://h%d.example/org\"]\n", i, i, i, i, i)
	}
	f := loadFile(t, b.String())
	getenv := func(string) string { return "" }
	r := protocol.Request{Host: "git.bench.example", URL: "https://git.bench.example/r"}
	allocs := testing.AllocsPerRun(3, func() {
		if name, ok := Choose(f, getenv, "", r); name != "bench" || !ok {
			t.Fatalf("Choose = %q, %v", name, ok)
		}
	})
	if allocs > 20 {
		t.Errorf("Choose over 2001 profiles allocates %v times, want a few", allocs)
	}
}
