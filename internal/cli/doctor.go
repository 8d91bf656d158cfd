package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/keyring"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// doctorTimeout bounds each network probe of keyfob doctor unless
// --timeout says otherwise.
const doctorTimeout = 5 * time.Second

// doctorStatus is the outcome of one check.
type doctorStatus string

// The outcomes. Only doctorFail changes the exit code.
const (
	doctorPass doctorStatus = "PASS"
	doctorWarn doctorStatus = "WARN"
	doctorFail doctorStatus = "FAIL"
)

// doctorCheck is one line of keyfob doctor: what was looked at, how it
// went, and what fixes a problem. No field ever holds a secret.
type doctorCheck struct {
	Check  string       `json:"check"`
	Status doctorStatus `json:"status"`
	Detail string       `json:"detail"`
	Fix    string       `json:"fix,omitempty"`
	// network marks a check whose failure means the server cannot be
	// reached (exit 5) rather than a local mistake (exit 2).
	network bool
}

// doctorReport is what keyfob doctor prints (-o json: this object).
type doctorReport struct {
	Profile  string        `json:"profile,omitempty"`
	Checks   []doctorCheck `json:"checks"`
	ExitCode int           `json:"exit_code"`
}

// doctor runs the checks of one keyfob doctor call.
type doctor struct {
	env *Env
	c   *commonFlags
	fs  *pflag.FlagSet
	now time.Time
	// timeout bounds each network probe.
	timeout time.Duration
	// keyring asks the OS keyring; keyring.Sealer outside tests.
	keyring func(context.Context, keyring.Options) (host.CacheSealer, keyring.Status)
	report  doctorReport
}

const doctorLong = `Check a profile and keyfob's surroundings, one line per check, each PASS, WARN or FAIL with
what fixes it:

  config       the configuration file: found, parsed, not readable by others while it holds a secret
  profile      the profile (-p, $KEYFOB_PROFILE, default_profile), its provider and required keys
  plugin       an external plugin: found, and matching plugin_sha256
  secret       every env:/file: reference resolves (values are never shown); secret files are 0600
  file         client_certificate, assertion_key, client_assertion_file, ca_file exist; keys are 0600
  certificate  the client certificate: valid now (WARN within 30 days of expiry), key matches it,
               its thumbprints (x5t#S256, x5t, and the hex SHA-1 Entra shows), the assertion options suit it
  cache        the cache directory and files: yours, 0700 and 0600
  keyring      whether the OS keyring seals refresh state ($KEYFOB_KEYRING); asks it as a token request does
  endpoint     one GET to what the profile configures: OpenID discovery for issuer or authority, else
               token_url (any answer below 500 means reachable); nothing else is contacted, no credential sent
  clock        the local clock against that answer's Date header: WARN from 1 minute, FAIL from 5

Exit status: 0 when nothing failed (warnings allowed); 2 when a local check failed (configuration,
files, permissions, certificate, required keyring, clock); 5 when only the server could not be
reached or failed; 1 on an internal error.`

func newDoctorCmd(env *Env) *cobra.Command {
	var c commonFlags
	var format string
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check a profile's configuration, files, certificate, cache, keyring, endpoint and clock",
		Long:  doctorLong,
		Example: `  keyfob doctor                 # the default profile
  keyfob doctor -p graph
  keyfob doctor -p graph -o json | jq '.checks[] | select(.status == "FAIL")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return &usageError{fmt.Errorf("--output %q: want text or json", format)}
			}
			d := &doctor{env: env, c: &c, fs: cmd.Flags(), now: env.Now(), timeout: c.timeout, keyring: keyring.Sealer}
			return d.run(cmd.Context(), format)
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().StringVarP(&format, "output", "o", "text", "output format: text or json")
	registerFlagCompletions(cmd, env)
	return cmd
}

// run checks, prints the report and ends with the report's exit code.
func (d *doctor) run(ctx context.Context, format string) error {
	if d.timeout <= 0 {
		d.timeout = doctorTimeout
	}
	d.checkAll(ctx)
	d.report.ExitCode = d.exitCode()
	var err error
	if format == "json" {
		err = json.NewEncoder(d.env.Stdout).Encode(d.report)
	} else {
		err = writeDoctorText(d.env.Stdout, d.report)
	}
	if err != nil {
		return err
	}
	if d.report.ExitCode != ExitOK {
		return &silentExit{code: d.report.ExitCode}
	}
	return nil
}

// checkAll runs the checks in the order they are printed: local ones
// first, then the one network probe.
func (d *doctor) checkAll(ctx context.Context) {
	d.checkConfig()
	p := d.checkProfile()
	if p != nil {
		d.report.Profile = p.Name
		d.checkKeys(p)
		d.checkSecrets(p)
		d.checkFiles(p)
		d.checkCertificate(p)
	}
	c := d.checkCache()
	d.checkKeyring(ctx, c)
	if p != nil {
		d.checkEndpoint(ctx, p)
	}
}

// add records one check; detail and fix are made single, safe lines.
func (d *doctor) add(check string, status doctorStatus, network bool, detail, fix string) {
	d.report.Checks = append(d.report.Checks, doctorCheck{Check: check, Status: status,
		Detail: oneLine(detail), Fix: oneLine(fix), network: network})
}

func (d *doctor) pass(check, detail string)      { d.add(check, doctorPass, false, detail, "") }
func (d *doctor) warn(check, detail, fix string) { d.add(check, doctorWarn, false, detail, fix) }
func (d *doctor) fail(check, detail, fix string) { d.add(check, doctorFail, false, detail, fix) }

// netFail records a failure to reach the server.
func (d *doctor) netFail(check, detail, fix string) { d.add(check, doctorFail, true, detail, fix) }

// exitCode is 2 when a local check failed, else 5 when a network check
// failed, else 0.
func (d *doctor) exitCode() int {
	code := ExitOK
	for _, c := range d.report.Checks {
		switch {
		case c.Status != doctorFail:
		case !c.network:
			return ExitUsage
		default:
			code = ExitUnavailable
		}
	}
	return code
}

// writeDoctorText prints one line per check, its fix indented below it,
// and a summary.
func writeDoctorText(w io.Writer, r doctorReport) error {
	var b strings.Builder
	counts := map[doctorStatus]int{}
	for _, c := range r.Checks {
		counts[c.Status]++
		fmt.Fprintf(&b, "%-4s  %-11s  %s\n", c.Status, c.Check, c.Detail)
		if c.Fix != "" {
			fmt.Fprintf(&b, "%19s%s\n", "fix: ", c.Fix)
		}
	}
	fmt.Fprintf(&b, "%d passed, %s, %d failed\n", counts[doctorPass], plural(counts[doctorWarn], "warning"), counts[doctorFail])
	_, err := io.WriteString(w, b.String())
	return err
}

// plural is "1 warning", "2 warnings".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
