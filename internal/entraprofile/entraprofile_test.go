package entraprofile

import (
	"strings"
	"testing"
)

func TestCloudLookups(t *testing.T) {
	t.Parallel()
	byName := map[string]string{
		"public": "public", "AzureCloud": "public", "usgov": "usgov", "USGovernment": "usgov",
		"china": "china", "AzureChinaCloud": "china", "germany": "", "": "",
	}
	for in, want := range byName {
		if c, _ := CloudNamed(in); c.Name != want {
			t.Errorf("CloudNamed(%q) = %q, want %q", in, c.Name, want)
		}
	}
	byURL := map[string]string{
		"https://login.microsoftonline.com/":                   "public",
		"https://login.microsoftonline.com/common":             "public",
		"https://LOGIN.MICROSOFTONLINE.US/t":                   "usgov",
		"https://login.chinacloudapi.cn":                       "china",
		"https://login.partner.microsoftonline.cn/contoso.com": "china",
		"https://login.windows.net/t":                          "public",
		"http://127.0.0.1:8080/t":                              "",
		"https://login.microsoftonline.com.evil.example/t":     "",
	}
	for in, want := range byURL {
		if c, _ := CloudOfURL(in); c.Name != want {
			t.Errorf("CloudOfURL(%q) = %q, want %q", in, c.Name, want)
		}
	}
}

// TestPresetTable: every preset works in the public cloud, every scope is
// a v2.0 .default scope, and clouds are ones keyfob knows.
func TestPresetTable(t *testing.T) {
	t.Parallel()
	for _, p := range Presets {
		if _, ok := p.Variants["public"]; !ok {
			t.Errorf("preset %s has no public variant", p.Name)
		}
		for cloud, v := range p.Variants {
			if _, ok := CloudNamed(cloud); !ok {
				t.Errorf("preset %s: unknown cloud %q", p.Name, cloud)
			}
			if !strings.HasSuffix(v.Scope, "/.default") {
				t.Errorf("preset %s/%s: scope %q is not RESOURCE/.default", p.Name, cloud, v.Scope)
			}
		}
		if got, ok := PresetNamed(strings.ToUpper(p.Name)); !ok || got.Name != p.Name {
			t.Errorf("PresetNamed(%q) did not find it", strings.ToUpper(p.Name))
		}
	}
}
