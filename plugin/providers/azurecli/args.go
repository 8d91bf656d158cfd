package azurecli

import (
	"regexp"
	"strings"

	"github.com/keyfob/keyfob/plugin"
)

// Character sets of the values passed to az, as azidentity checks them.
// A leading "-" is refused besides, so no value can pass for an option.
var (
	validScope        = regexp.MustCompile(`^[0-9A-Za-z_.:/-]+$`)
	validTenant       = regexp.MustCompile(`^[0-9A-Za-z.-]+$`)
	validSubscription = regexp.MustCompile(`^[0-9A-Za-z_. -]+$`)
)

// command is one "az account get-access-token" invocation, its values
// checked.
type command struct {
	scopes       []string // --scope, or
	resource     string   // --resource
	tenant       string
	subscription string
}

// commandFor builds the command from the request: its scopes, else the
// profile's, else the profile's resource.
func commandFor(req *plugin.Request) (*command, error) {
	cfg := req.Config
	c := &command{tenant: cfg.String("tenant_id"), subscription: cfg.String(KeySubscription)}
	c.scopes = req.Scopes
	if len(c.scopes) == 0 {
		var err error
		if c.scopes, err = cfg.List("scopes"); err != nil {
			return nil, err
		}
	}
	if len(c.scopes) == 0 {
		c.resource = cfg.String("resource")
	}
	return c, c.check()
}

// check validates every value that becomes an argument.
func (c *command) check() error {
	if len(c.scopes) == 0 && c.resource == "" {
		return plugin.Configf("key scopes (or resource) is required, e.g. https://management.azure.com/.default")
	}
	for _, s := range c.scopes {
		if err := checkArg("scope", s, validScope, "letters, digits and _ . : / -"); err != nil {
			return err
		}
	}
	if c.resource != "" {
		if err := checkArg("resource", c.resource, validScope, "letters, digits and _ . : / -"); err != nil {
			return err
		}
	}
	if c.tenant != "" && c.subscription != "" {
		return plugin.Configf("keys tenant_id and %s cannot be used together with the Azure CLI", KeySubscription)
	}
	if c.tenant != "" {
		if err := checkArg("tenant_id", c.tenant, validTenant, "letters, digits and . -"); err != nil {
			return err
		}
	}
	if c.subscription != "" {
		return checkArg(KeySubscription, c.subscription, validSubscription, "letters, digits, spaces and _ . -")
	}
	return nil
}

// checkArg refuses a value outside re or starting with "-".
func checkArg(key, v string, re *regexp.Regexp, allowed string) error {
	if strings.HasPrefix(v, "-") || !re.MatchString(v) {
		return plugin.Configf("%s %q cannot be passed to az: only %s are allowed, and no leading -", key, v, allowed)
	}
	return nil
}

// args is the argument list after the executable.
func (c *command) args() []string {
	args := []string{"account", "get-access-token", "--output", "json"}
	if len(c.scopes) > 0 {
		args = append(append(args, "--scope"), c.scopes...)
	} else {
		args = append(args, "--resource", c.resource)
	}
	if c.tenant != "" {
		args = append(args, "--tenant", c.tenant)
	}
	if c.subscription != "" {
		args = append(args, "--subscription", c.subscription)
	}
	return args
}

// tenantArg is " --tenant T" for hints, or "".
func (c *command) tenantArg() string {
	if c.tenant == "" {
		return ""
	}
	return " --tenant " + c.tenant
}
