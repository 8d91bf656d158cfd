package entraprofile

import (
	"net/url"
	"slices"
	"strings"

	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Cloud is a Microsoft Entra ID national cloud.
type Cloud struct {
	// Name is the value of the cloud key: public, usgov or china.
	Name string
	// AuthorityHost is the Entra sign-in host, without a trailing slash.
	AuthorityHost string
	// aliases are other names accepted for the cloud key (and Terraform's
	// ARM_ENVIRONMENT), lowercase.
	aliases []string
	// loginHosts are other sign-in hosts that identify this cloud.
	loginHosts []string
}

// Clouds are the national clouds keyfob knows (entra-docs
// authentication-national-cloud.md; azcore cloud.go). For China keyfob
// uses login.chinacloudapi.cn, the host azcore, azidentity and the Azure
// CLI use; the documentation's login.partner.microsoftonline.cn also
// identifies the China cloud and can be chosen with authority_host.
var Clouds = []Cloud{
	{Name: "public", AuthorityHost: DefaultAuthorityHost,
		aliases:    []string{"azurecloud", "azurepubliccloud", "global"},
		loginHosts: []string{"login.microsoft.com", "login.windows.net", "sts.windows.net"}},
	{Name: "usgov", AuthorityHost: "https://login.microsoftonline.us",
		aliases:    []string{"usgovernment", "azureusgovernment", "azureusgovernmentcloud"},
		loginHosts: []string{"login.usgovcloudapi.net", "login-us.microsoftonline.com"}},
	{Name: "china", AuthorityHost: "https://login.chinacloudapi.cn",
		aliases:    []string{"azurechinacloud", "chinacloud"},
		loginHosts: []string{"login.partner.microsoftonline.cn"}},
}

// CloudNamed returns the cloud named name (or one of its aliases),
// ignoring case.
func CloudNamed(name string) (Cloud, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, c := range Clouds {
		if c.Name == n || slices.Contains(c.aliases, n) {
			return c, true
		}
	}
	return Cloud{}, false
}

// CloudOfURL returns the cloud whose sign-in host u (an authority or
// authority host URL) names; false for any other host, such as a test
// server's.
func CloudOfURL(u string) (Cloud, bool) {
	pu, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return Cloud{}, false
	}
	host := strings.ToLower(pu.Hostname())
	for _, c := range Clouds {
		if strings.HasSuffix(c.AuthorityHost, "://"+host) || slices.Contains(c.loginHosts, host) {
			return c, true
		}
	}
	return Cloud{}, false
}

// cloudNames lists the cloud names for messages.
func cloudNames() string {
	names := make([]string, len(Clouds))
	for i, c := range Clouds {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// parseCloud reads the cloud key.
func parseCloud(v string) (Cloud, error) {
	c, ok := CloudNamed(v)
	if !ok {
		return Cloud{}, errdefs.Configf("key cloud: unknown cloud %q (want %s)", v, cloudNames())
	}
	return c, nil
}

// normalizeHost checks an authority host URL and drops its trailing
// slashes. The scheme rule (https, or http on loopback) is the plugin's
// to enforce, as for every other URL.
func normalizeHost(from, v string) (string, error) {
	h := strings.TrimRight(strings.TrimSpace(v), "/")
	u, err := url.Parse(h)
	if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return "", errdefs.Configf("%s %q: want a URL such as https://login.microsoftonline.com", from, v)
	}
	return h, nil
}
