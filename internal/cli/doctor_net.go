package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/endpoint"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// Clock skew limits: assertions and expiry decisions tolerate a little;
// servers commonly allow five minutes.
const (
	skewWarn = time.Minute
	skewFail = 5 * time.Minute
)

// probe is the one request keyfob doctor sends: to what the profile
// configures, nothing else.
type probe struct {
	url string
	// discovery is true for an OpenID discovery document.
	discovery bool
	// issuer is the configured issuer, to compare with the document's.
	issuer string
}

// probeFor picks the request for a profile: OpenID discovery for an
// authority (Entra's v2.0 document) or an issuer, else the token_url.
// ok is false when the profile names no endpoint (managed identity, the
// Azure CLI).
func probeFor(values map[string]string) (probe, bool, error) {
	switch {
	case values["authority"] != "":
		ep, err := endpoint.FromAuthority(values["authority"])
		if err != nil {
			return probe{}, true, err
		}
		return probe{url: ep.Issuer + "/.well-known/openid-configuration", discovery: true}, true, nil
	case values["issuer"] != "":
		iss := strings.TrimRight(values["issuer"], "/")
		return probe{url: iss + "/.well-known/openid-configuration", discovery: true, issuer: iss}, true, nil
	case values["token_url"] != "":
		return probe{url: values["token_url"]}, true, nil
	}
	return probe{}, false, nil
}

// checkEndpoint sends the probe and checks the answer and the clock.
func (d *doctor) checkEndpoint(ctx context.Context, p *profile) {
	pr, ok, err := probeFor(p.Values)
	if !ok {
		return
	}
	if err == nil {
		err = oauth.CheckURL(pr.url)
	}
	if err != nil {
		d.fail("endpoint", err.Error(), "use an https:// URL (plain http is only for loopback)")
		return
	}
	hc, err := oauth.HTTPClientFromConfig(plugin.Config{oauth.KeyCAFile: p.Values[oauth.KeyCAFile]})
	if err != nil {
		d.fail("endpoint", err.Error(), "correct ca_file")
		return
	}
	start := d.env.Now()
	status, date, body, err := d.get(ctx, hc, pr.url)
	end := d.env.Now()
	if err != nil {
		d.netFail("endpoint", "GET "+pr.url+": "+err.Error(), reachFix(err, d.timeout))
		return
	}
	d.reportAnswer(pr, status, body)
	d.checkClock(hostOf(pr.url), date, start, end)
}

// get sends one GET, bounded by d.timeout, and returns the status, the
// Date header and up to 1 MiB of the body. Its errors leave out the URL.
func (d *doctor) get(ctx context.Context, hc *http.Client, u string) (int, string, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, d.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, resp.Header.Get("Date"), body, nil
}

// reachFix suggests what to do about a failed request.
func reachFix(err error, timeout time.Duration) string {
	var unknown x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.As(err, &unknown) || errors.As(err, &verify):
		return "set ca_file to the CA certificate(s) that issued the server's certificate"
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("no answer within %v: check the network and the proxy settings (HTTPS_PROXY, NO_PROXY), or pass a longer --timeout", timeout)
	}
	return "check the URL, the network and the proxy settings (HTTPS_PROXY, NO_PROXY)"
}

// reportAnswer judges the answer: a discovery document must be there and
// name a token endpoint; a token endpoint just has to answer.
func (d *doctor) reportAnswer(pr probe, status int, body []byte) {
	what := fmt.Sprintf("GET %s: HTTP %d", pr.url, status)
	switch {
	case status >= 500:
		d.netFail("endpoint", what, "the server is failing; try again later")
	case !pr.discovery:
		d.pass("endpoint", what+" (reachable; a token endpoint answers only POST)")
	case status != http.StatusOK:
		d.fail("endpoint", what, "check issuer or authority: the server must publish /.well-known/openid-configuration under it")
	default:
		d.reportDiscovery(pr, what, body)
	}
}

// reportDiscovery checks a discovery document.
func (d *doctor) reportDiscovery(pr probe, what string, body []byte) {
	var doc struct {
		Issuer string `json:"issuer"`
		Token  string `json:"token_endpoint"`
	}
	if err := json.Unmarshal(body, &doc); err != nil || doc.Token == "" {
		d.fail("endpoint", what+", but no token_endpoint in the document", "check issuer or authority")
		return
	}
	if pr.issuer != "" && strings.TrimRight(doc.Issuer, "/") != pr.issuer {
		d.warn("endpoint", fmt.Sprintf("%s; the document names issuer %q, not %q", what, doc.Issuer, pr.issuer),
			"set issuer to the value the server names")
		return
	}
	d.pass("endpoint", what+"; token endpoint "+doc.Token)
}

// checkClock compares the server's Date header with the local clock at
// the middle of the request.
func (d *doctor) checkClock(host, date string, start, end time.Time) {
	server, err := http.ParseTime(date)
	if err != nil {
		d.warn("clock", host+" sent no usable Date header; clock skew not checked", "")
		return
	}
	skew := server.Sub(start.Add(end.Sub(start) / 2)).Round(time.Second)
	abs := skew.Abs()
	var detail string
	switch {
	case abs <= time.Second:
		detail = "the local clock matches " + host + " (within 1s)"
	case skew > 0:
		detail = fmt.Sprintf("the local clock is %v behind %s", abs, host)
	default:
		detail = fmt.Sprintf("the local clock is %v ahead of %s", abs, host)
	}
	fix := "synchronise the system clock (Linux: timedatectl set-ntp true; macOS: sntp -sS time.apple.com; Windows: w32tm /resync)"
	switch {
	case abs >= skewFail:
		d.fail("clock", detail+"; tokens and signed assertions will be refused", fix)
	case abs >= skewWarn:
		d.warn("clock", detail, fix)
	default:
		d.pass("clock", detail)
	}
}

// hostOf returns the host of a URL for messages.
func hostOf(u string) string {
	if p, err := url.Parse(u); err == nil && p.Host != "" {
		return p.Host
	}
	return u
}
