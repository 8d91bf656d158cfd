package main

import (
	"crypto/rsa"
	"net/http"
	"regexp"
	"strings"

	"github.com/golang-jwt/jwt/v5"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

// settings are a profile's keys, checked.
type settings struct {
	appID          string
	installationID string
	key            *rsa.PrivateKey
	apiURL         string // no trailing slash
	repositories   []string
	permissions    map[string]string
	cfg            plugin.Config
}

var (
	digits     = regexp.MustCompile(`^[0-9]+$`)
	permission = regexp.MustCompile(`^([a-z_]+):(read|write|admin)$`)
)

// readSettings checks the profile's keys; every error wraps
// plugin.ErrConfig and none shows the private key.
func readSettings(req *plugin.Request) (*settings, error) {
	cfg := req.Config
	if err := cfg.Require(keyAppID, keyInstallationID, keyPrivateKey); err != nil {
		return nil, err
	}
	s := &settings{appID: strings.TrimSpace(cfg.String(keyAppID)), installationID: cfg.String(keyInstallationID), cfg: cfg}
	if !digits.MatchString(s.installationID) {
		return nil, plugin.Configf("key %s: want a number, got %q", keyInstallationID, s.installationID)
	}
	var err error
	if s.key, err = privateKey(cfg); err != nil {
		return nil, err
	}
	if s.apiURL, err = apiURL(cfg); err != nil {
		return nil, err
	}
	if s.repositories, err = cfg.List(keyRepositories); err != nil {
		return nil, err
	}
	if s.permissions, err = permissions(req); err != nil {
		return nil, err
	}
	return s, nil
}

// privateKey reads the App's RSA private key (PKCS#1, as GitHub issues
// it, or PKCS#8).
func privateKey(cfg plugin.Config) (*rsa.PrivateKey, error) {
	pem, err := cfg.Secret(keyPrivateKey)
	if err != nil {
		return nil, err
	}
	key, err := jwt.ParseRSAPrivateKeyFromPEM([]byte(pem.Reveal()))
	if err != nil {
		return nil, plugin.Configf("key %s: not an RSA private key in PEM form: %v", keyPrivateKey, err)
	}
	return key, nil
}

// apiURL is the REST API's base URL: https, or http on loopback.
func apiURL(cfg plugin.Config) (string, error) {
	u := strings.TrimRight(cfg.String(keyAPIURL), "/")
	if u == "" {
		return defaultAPIURL, nil
	}
	if err := oauth.CheckURL(u); err != nil {
		return "", plugin.Configf("key %s: %v", keyAPIURL, err)
	}
	return u, nil
}

// permissions turns the scopes (the request's, else the profile's) into
// the permissions object of the API: "contents:read" → contents: read.
func permissions(req *plugin.Request) (map[string]string, error) {
	scopes := req.Scopes
	if len(scopes) == 0 {
		var err error
		if scopes, err = req.Config.List("scopes"); err != nil {
			return nil, err
		}
	}
	if len(scopes) == 0 {
		return nil, nil
	}
	perms := make(map[string]string, len(scopes))
	for _, s := range scopes {
		m := permission.FindStringSubmatch(s)
		if m == nil {
			return nil, plugin.Configf("scope %q: want a GitHub App permission as NAME:LEVEL, e.g. contents:read", s)
		}
		perms[m[1]] = m[2]
	}
	return perms, nil
}

// httpClient is the SDK's HTTP client for the profile: ca_file, no
// redirects, timeouts.
func (s *settings) httpClient() (*http.Client, error) { return oauth.HTTPClientFromConfig(s.cfg) }
