package e2e_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// These tests run keyfob's private_key_jwt (certificate) client
// authentication against ory/fosite, which checks assertions as strictly
// as Entra ID: aud must be the token URL, the alg is pinned per client,
// and a jti is accepted once.

// pfxPasswordVar holds the PFX password the profiles reference.
const pfxPasswordVar = "E2E_PFX_PASSWORD"

// The private_key_jwt clients registered with fosite: one per alg, and one
// whose JWKS names its key, found by kid rather than by trying each key.
const (
	ps256Client    = "pkjwt-ps256"
	rs256Client    = "pkjwt-rs256"
	kidClient      = "pkjwt-kid"
	kidClientKeyID = "e2e-key-1"
)

// Each client's RSA key, shared by the tests: RSA keys are slow to make
// under -race. No key is committed; they live only in this process and in
// the tests' temporary files.
var clientKeys = map[string]func() *rsa.PrivateKey{
	ps256Client: sync.OnceValue(newRSAKey),
	rs256Client: sync.OnceValue(newRSAKey),
	kidClient:   sync.OnceValue(newRSAKey),
}

func newRSAKey() *rsa.PrivateKey {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		panic(err)
	}
	return k
}

// startAssertionFosite starts fosite with the private_key_jwt clients.
func startAssertionFosite(t *testing.T) *servers.Fosite {
	t.Helper()
	return servers.StartFosite(t, servers.WithAssertionClients(
		servers.AssertionClient{ID: ps256Client, Alg: "PS256", Key: &clientKeys[ps256Client]().PublicKey},
		servers.AssertionClient{ID: rs256Client, Alg: "RS256", Key: &clientKeys[rs256Client]().PublicKey},
		servers.AssertionClient{ID: kidClient, Alg: "RS256", Key: &clientKeys[kidClient]().PublicKey, KeyID: kidClientKeyID},
	))
}

// Certificate file formats.
const (
	formatPEM       = "pem"
	formatPFX       = "pfx"        // the OpenSSL 3 default: PBES2, AES-256, HMAC-SHA-256
	formatPFXLegacy = "pfx-legacy" // openssl -legacy: 3DES
)

// certFile describes a client certificate file to write.
type certFile struct {
	format              string
	key                 *rsa.PrivateKey // the certificate's key
	fileKey             *rsa.PrivateKey // the key written to the file; nil means key
	notBefore, notAfter time.Time       // zero: from an hour ago for a day
}

// write writes the file to dir and returns its path; a PFX is encrypted
// with password.
func (c certFile) write(t *testing.T, dir, password string) string {
	t.Helper()
	if c.fileKey == nil {
		c.fileKey = c.key
	}
	if c.notBefore.IsZero() {
		c.notBefore, c.notAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	}
	cert := selfSigned(t, c.key, c.notBefore, c.notAfter)
	var data []byte
	var err error
	switch c.format {
	case formatPEM:
		data = append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), keyPEM(t, c.fileKey)...)
	case formatPFX:
		data, err = pkcs12.Modern.Encode(c.fileKey, cert, nil, password)
	case formatPFXLegacy:
		data, err = pkcs12.Legacy.Encode(c.fileKey, cert, nil, password)
	}
	if err != nil || data == nil {
		t.Fatalf("writing a %s certificate: %v", c.format, err)
	}
	path := filepath.Join(dir, "client."+c.format)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func selfSigned(t *testing.T, key *rsa.PrivateKey, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: "keyfob-e2e-client"},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// keyPEM is key as a PKCS#8 PEM block.
func keyPEM(t *testing.T, key *rsa.PrivateKey) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// keyLines are the full base64 lines of key's PEM: none may show in
// keyfob's output.
func keyLines(t *testing.T, key *rsa.PrivateKey) []string {
	t.Helper()
	lines := strings.Split(string(keyPEM(t, key)), "\n")
	var out []string
	for _, l := range lines {
		if len(l) == 64 {
			out = append(out, l)
		}
	}
	return out
}

func randomPassword(t *testing.T) string {
	t.Helper()
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "pfx-" + hex.EncodeToString(b)
}

// assertionProfile is a [profiles.NAME] table for provider against f as
// clientID with the certificate at cert; extra holds more TOML lines.
func assertionProfile(name, provider string, f *servers.Fosite, clientID, cert string, extra ...string) string {
	lines := []string{
		fmt.Sprintf("[profiles.%s]", name),
		fmt.Sprintf("provider = %q", provider),
		fmt.Sprintf("token_url = %q", f.TokenURL),
		fmt.Sprintf("client_id = %q", clientID),
		fmt.Sprintf("client_certificate = %q", cert),
	}
	if strings.HasSuffix(cert, ".pfx") || strings.HasSuffix(cert, ".pfx-legacy") {
		lines = append(lines, fmt.Sprintf("client_certificate_password = \"env:%s\"", pfxPasswordVar))
	}
	if provider == "password" {
		lines = append(lines, fmt.Sprintf("username = %q", f.User.Username), fmt.Sprintf("password = \"env:%s\"", passwordVar))
	}
	return strings.Join(append(lines, extra...), "\n") + "\n"
}

// assertionRun runs keyfob token -p a at KEYFOB_LOG=trace.
func assertionRun(t *testing.T, bin, home, cfg, pfxPassword string, f *servers.Fosite, args ...string) harness.Result {
	t.Helper()
	return harness.Run(t, bin, harness.RunOpts{
		Home: home,
		Args: append([]string{"token", "-p", "a"}, args...),
		Env:  env("KEYFOB_CONFIG", cfg, "KEYFOB_LOG", "trace", pfxPasswordVar, pfxPassword, passwordVar, f.User.Password),
	})
}

// checkNoAssertionLeaks fails if a client assertion, a line of the private
// key or a password shows in keyfob's output. Assertions are JWTs, whose
// text starts with "eyJ"; fosite's access tokens are not.
func checkNoAssertionLeaks(t *testing.T, res harness.Result, f *servers.Fosite, key *rsa.PrivateKey, passwords ...string) {
	t.Helper()
	checkNoLeaks(t, res, append(append(passwords, f.ClientAssertions()...), keyLines(t, key)...)...)
	if strings.Contains(res.Stderr, "eyJ") || strings.Contains(res.Stdout, "eyJ") {
		t.Errorf("a JWT appears in keyfob's output:\n%s", res)
	}
	if strings.Contains(res.Stderr, "client_assertion=") {
		t.Errorf("a request form appears in keyfob's output:\n%s", res)
	}
}

// introspectClient checks that token is an active fosite access token of
// client with scopes.
func introspectClient(t *testing.T, f *servers.Fosite, token, client string, scopes []string) {
	t.Helper()
	info, err := f.IntrospectAccessToken(t.Context(), token)
	if err != nil {
		t.Fatalf("the printed token is not an active fosite token: %v", err)
	}
	got := []any{info.ClientID, info.Scopes}
	if diff := cmp.Diff([]any{client, scopes}, got, sortStrings); diff != "" {
		t.Errorf("[client, scopes] of the token (-want +got):\n%s", diff)
	}
}

// jwtParts decodes a JWT's header and claims without verifying it (fosite
// did).
func jwtParts(t *testing.T, s string) (header, claims map[string]any) {
	t.Helper()
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		t.Fatalf("client assertion is not a JWS compact serialization (%d parts)", len(parts))
	}
	decode := func(seg string) map[string]any {
		b, err := base64.RawURLEncoding.DecodeString(seg)
		var m map[string]any
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			t.Fatalf("client assertion segment: %v", err)
		}
		return m
	}
	return decode(parts[0]), decode(parts[1])
}

func TestAssertionGrants(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		provider, client, format string
		extra                    []string // more profile lines
		wantAlg                  string
		wantHeader               []string // the header's names besides alg and typ
	}{
		"client_credentials, PS256, PEM": {
			provider: "client_credentials", client: ps256Client, format: formatPEM,
			extra: []string{`client_assertion_alg = "PS256"`}, wantAlg: "PS256", wantHeader: []string{"x5t#S256"},
		},
		"client_credentials, RS256 by default, PEM": {
			provider: "client_credentials", client: rs256Client, format: formatPEM, wantAlg: "RS256", wantHeader: []string{"x5t", "x5t#S256"},
		},
		"client_credentials, PS256, PFX, x5c": {
			provider: "client_credentials", client: ps256Client, format: formatPFX,
			extra: []string{`client_assertion_alg = "PS256"`, `client_assertion_x5c = true`}, wantAlg: "PS256", wantHeader: []string{"x5c", "x5t#S256"},
		},
		"client_credentials, RS256, legacy PFX": {
			provider: "client_credentials", client: rs256Client, format: formatPFXLegacy,
			extra: []string{`client_assertion_alg = "RS256"`}, wantAlg: "RS256", wantHeader: []string{"x5t", "x5t#S256"},
		},
		"client_credentials, RS256, PFX, x5t#S256 only": {
			provider: "client_credentials", client: rs256Client, format: formatPFX,
			extra: []string{`client_assertion_header = "x5t#S256"`}, wantAlg: "RS256", wantHeader: []string{"x5t#S256"},
		},
		"client_credentials, kid": {
			provider: "client_credentials", client: kidClient, format: formatPEM,
			extra:   []string{`client_assertion_header = "kid"`, `client_assertion_kid = "` + kidClientKeyID + `"`},
			wantAlg: "RS256", wantHeader: []string{"kid"},
		},
		"password, PS256, PFX": {
			provider: "password", client: ps256Client, format: formatPFX,
			extra: []string{`client_assertion_alg = "PS256"`}, wantAlg: "PS256", wantHeader: []string{"x5t#S256"},
		},
		"password, RS256 by default, PEM": {
			provider: "password", client: rs256Client, format: formatPEM, wantAlg: "RS256", wantHeader: []string{"x5t", "x5t#S256"},
		},
		"password, PS256, legacy PFX, explicit client_auth": {
			provider: "password", client: ps256Client, format: formatPFXLegacy,
			extra: []string{`client_assertion_alg = "PS256"`, `client_auth = "private_key_jwt"`}, wantAlg: "PS256",
			wantHeader: []string{"x5t#S256"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startAssertionFosite(t)
			home := t.TempDir()
			password := randomPassword(t)
			key := clientKeys[tc.client]()
			cert := certFile{format: tc.format, key: key}.write(t, home, password)
			scopes := []string{"offline_access", "api"}
			cfg := harness.WriteConfig(t, home, assertionProfile("a", tc.provider, f, tc.client, cert,
				append(tc.extra, "scopes = "+tomlList(scopes))...))

			res := assertionRun(t, bin, home, cfg, password, f, "-o", "json")
			checkSuccess(t, res)
			checkNoAssertionLeaks(t, res, f, key, password, f.User.Password)
			introspectClient(t, f, parseJSON(t, res.Stdout).AccessToken, tc.client, scopes)
			if got := f.GrantRequests(tc.provider); got != 1 || f.TokenRequests() != 1 {
				t.Errorf("token requests = %d (%s: %d), want exactly 1", f.TokenRequests(), tc.provider, got)
			}
			assertions := f.ClientAssertions()
			if len(assertions) != 1 {
				t.Fatalf("fosite saw %d client assertions, want 1", len(assertions))
			}
			header, claims := jwtParts(t, assertions[0])
			var names []string
			for name := range header {
				if name != "alg" && name != "typ" {
					names = append(names, name)
				}
			}
			got := []any{header["alg"], header["typ"], names, claims["aud"], claims["iss"], claims["sub"]}
			want := []any{tc.wantAlg, "JWT", tc.wantHeader, f.TokenURL, tc.client, tc.client}
			if diff := cmp.Diff(want, got, sortStrings); diff != "" {
				t.Errorf("[alg, typ, other header names, aud, iss, sub] (-want +got):\n%s", diff)
			}
			if lifetime := claims["exp"].(float64) - claims["iat"].(float64); lifetime <= 0 || lifetime > 600 || claims["nbf"] != claims["iat"] {
				t.Errorf("claims %v: want nbf = iat and exp within 10 minutes of them", claims)
			}
		})
	}
}

// TestAssertionForceRefresh runs the grant and then --force-refresh twice
// in a row: fosite accepts each jti once, so each request needs a new
// assertion. With the password grant the refreshes use the refresh token,
// so the refresh_token grant is authenticated by assertion too.
func TestAssertionForceRefresh(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	tests := map[string]struct {
		provider   string
		wantGrants map[string]int64
	}{
		"client_credentials": {provider: "client_credentials", wantGrants: map[string]int64{"client_credentials": 3}},
		"password":           {provider: "password", wantGrants: map[string]int64{"password": 1, "refresh_token": 2}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startAssertionFosite(t)
			home := t.TempDir()
			password := randomPassword(t)
			key := clientKeys[ps256Client]()
			cert := certFile{format: formatPFX, key: key}.write(t, home, password)
			cfg := harness.WriteConfig(t, home, assertionProfile("a", tc.provider, f, ps256Client, cert,
				`client_assertion_alg = "PS256"`, `scopes = ["offline_access", "api"]`))

			tokens := map[string]bool{}
			for _, args := range [][]string{nil, {"--force-refresh"}, {"--force-refresh"}} {
				res := assertionRun(t, bin, home, cfg, password, f, args...)
				checkSuccess(t, res)
				checkNoAssertionLeaks(t, res, f, key, password, f.User.Password)
				token := rawToken(t, res.Stdout)
				introspectClient(t, f, token, ps256Client, []string{"offline_access", "api"})
				tokens[token] = true
			}
			if len(tokens) != 3 {
				t.Errorf("3 runs printed %d distinct tokens, want 3", len(tokens))
			}
			got := map[string]int64{}
			for grant := range tc.wantGrants {
				got[grant] = f.GrantRequests(grant)
			}
			if diff := cmp.Diff(tc.wantGrants, got); diff != "" || f.TokenRequests() != 3 {
				t.Errorf("token requests = %d, by grant (-want +got):\n%s", f.TokenRequests(), diff)
			}
			jtis := map[any]bool{}
			for _, a := range f.ClientAssertions() {
				_, claims := jwtParts(t, a)
				jtis[claims["jti"]] = true
			}
			if len(jtis) != 3 {
				t.Errorf("3 requests carried %d distinct jtis, want 3", len(jtis))
			}
		})
	}
}

// TestAssertionWrongAlg checks that fosite's refusal of an assertion
// signed with another alg than the client's is exit code 3 with the
// server's invalid_client.
func TestAssertionWrongAlg(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	f := startAssertionFosite(t)
	home := t.TempDir()
	key := clientKeys[ps256Client]()
	cert := certFile{format: formatPEM, key: key}.write(t, home, "")
	cfg := harness.WriteConfig(t, home, assertionProfile("a", "client_credentials", f, ps256Client, cert,
		`client_assertion_alg = "RS256"`, `scopes = ["api"]`))

	res := assertionRun(t, bin, home, cfg, "", f)
	if res.ExitCode != 3 || !strings.Contains(res.Stderr, "invalid_client") || res.Stdout != "" {
		t.Errorf("want exit code 3, invalid_client on stderr and nothing on stdout:\n%s", res)
	}
	checkNoAssertionLeaks(t, res, f, key)
	if got := f.TokenRequests(); got != 1 {
		t.Errorf("token requests = %d, want 1 (an OAuth error is not retried)", got)
	}
}

// TestAssertionCertificateErrors checks that a certificate keyfob cannot
// use is a configuration error (exit code 2) found before any request.
func TestAssertionCertificateErrors(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	key, other := clientKeys[ps256Client](), clientKeys[rs256Client]()
	tests := map[string]struct {
		cert       certFile
		password   string // the PFX password keyfob is given; "" means the right one
		wantStderr []string
	}{
		"expired": {
			cert:       certFile{format: formatPEM, key: key, notBefore: time.Now().Add(-48 * time.Hour), notAfter: time.Now().Add(-24 * time.Hour)},
			wantStderr: []string{"client.pem", `certificate "CN=keyfob-e2e-client" expired on `},
		},
		"expired PFX": {
			cert:       certFile{format: formatPFX, key: key, notBefore: time.Now().Add(-48 * time.Hour), notAfter: time.Now().Add(-time.Minute)},
			wantStderr: []string{"client.pfx", "expired on "},
		},
		"not yet valid": {
			cert:       certFile{format: formatPEM, key: key, notBefore: time.Now().Add(time.Hour), notAfter: time.Now().Add(48 * time.Hour)},
			wantStderr: []string{"client.pem", "is not valid before "},
		},
		"key of another certificate": {
			cert:       certFile{format: formatPEM, key: key, fileKey: other},
			wantStderr: []string{"client.pem", "the private key does not belong to the certificate"},
		},
		"wrong PFX password": {
			cert: certFile{format: formatPFX, key: key}, password: "not-the-password",
			wantStderr: []string{"client.pfx", "wrong password for the PFX file"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := startAssertionFosite(t)
			home := t.TempDir()
			password := randomPassword(t)
			cert := tc.cert.write(t, home, password)
			cfg := harness.WriteConfig(t, home, assertionProfile("a", "client_credentials", f, ps256Client, cert,
				`client_assertion_alg = "PS256"`, `scopes = ["api"]`))
			given := password
			if tc.password != "" {
				given = tc.password
			}
			res := assertionRun(t, bin, home, cfg, given, f)
			if res.ExitCode != 2 || res.Stdout != "" {
				t.Errorf("want exit code 2 and nothing on stdout:\n%s", res)
			}
			for _, want := range tc.wantStderr {
				if !strings.Contains(res.Stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, res.Stderr)
				}
			}
			checkNoAssertionLeaks(t, res, f, key, password, given)
			if got := f.TokenRequests(); got != 0 {
				t.Errorf("token requests = %d, want 0: the certificate is checked first", got)
			}
		})
	}
}
