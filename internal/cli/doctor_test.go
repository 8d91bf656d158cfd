package cli

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/keyring"
	"github.com/keyfob/keyfob/internal/golden"
	"github.com/keyfob/keyfob/plugin/assertion"
)

// fixedNow is the clock of the doctor and inspect tests.
var fixedNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// runAt runs keyfob in process with buffers and a fixed clock. The cache
// is a fresh directory and the keyring off unless vars say otherwise.
func runAt(t *testing.T, now time.Time, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	full := map[string]string{"KEYFOB_CACHE_DIR": filepath.Join(t.TempDir(), "cache"), "KEYFOB_KEYRING": "off"}
	maps.Copy(full, vars)
	e := Env{Args: args, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return full[k] }, Now: func() time.Time { return now }, Executable: "/nonexistent/keyfob"}
	code = Main(context.Background(), e)
	return out.String(), errb.String(), code
}

// fakeIdP is an authorization server for doctor: OpenID discovery at /,
// a token endpoint at /token. It records every request and dates its
// answers fixedNow + skew.
type fakeIdP struct {
	*httptest.Server
	idpConfig
	mu   sync.Mutex
	seen []string
}

// idpConfig says how a fakeIdP answers.
type idpConfig struct {
	discoveryStatus int    // 0: 200
	issuer          string // "": its own URL
	skew            time.Duration
	noDate          bool
}

func startIdP(t *testing.T, cfg idpConfig) *fakeIdP {
	t.Helper()
	f := &fakeIdP{idpConfig: cfg}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeIdP) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.seen = append(f.seen, fmt.Sprintf("%s %s auth=%q", r.Method, r.URL.Path, r.Header.Get("Authorization")))
	f.mu.Unlock()
	if f.noDate {
		w.Header()["Date"] = nil
	} else {
		w.Header().Set("Date", fixedNow.Add(f.skew).Format(http.TimeFormat))
	}
	switch r.URL.Path {
	case "/.well-known/openid-configuration":
		if f.discoveryStatus != 0 {
			w.WriteHeader(f.discoveryStatus)
			return
		}
		issuer := f.issuer
		if issuer == "" {
			issuer = f.URL
		}
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": issuer, "token_endpoint": f.URL + "/token"})
	case "/token":
		w.WriteHeader(http.StatusMethodNotAllowed)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeIdP) requests() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seen
}

// writeCert writes a PEM file with a self-signed EC certificate for
// "app.example", valid from notBefore to notAfter, and its key.
func writeCert(t *testing.T, dir string, notBefore, notAfter time.Time) (string, *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "app.example"},
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	data := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	path := writeFileMode(t, filepath.Join(dir, "app.pem"), string(data), 0o600)
	return path, cert
}

// writeFileMode writes data to path with exactly mode.
func writeFileMode(t *testing.T, path, data string, mode os.FileMode) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	return path
}

// normalize replaces what changes from run to run with placeholders.
func normalize(s string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(s)
}

// TestDoctorHealthyGolden: a profile with nothing wrong passes every
// check and exits 0.
func TestDoctorHealthyGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	idp := startIdP(t, idpConfig{skew: 3 * time.Second})
	certPath, cert := writeCert(t, dir, fixedNow.Add(-24*time.Hour), fixedNow.Add(365*24*time.Hour))
	cfg := writeFileMode(t, filepath.Join(dir, "config.toml"), fmt.Sprintf(`default_profile = "app"
[profiles.app]
provider = "client_credentials"
issuer = %q
client_id = "app"
client_certificate = %q
scopes = ["api"]
`, idp.URL, certPath), 0o600)
	cacheDir := filepath.Join(dir, "cache")
	c, err := cache.Open(cacheDir, cache.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Put("k", &cache.Entry{AccessToken: "at", ExpiresAt: fixedNow.Add(time.Hour), Profile: "app"}); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runAt(t, fixedNow, map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": cacheDir}, "doctor")
	if code != ExitOK || stderr != "" {
		t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
	}
	got := normalize(stdout, dir, "$TMP", strings.TrimPrefix(idp.URL, "http://"), "$SERVER",
		assertion.ThumbprintS256(cert), "<x5t#S256>", assertion.ThumbprintSHA1(cert), "<x5t>", sha1Hex(&assertion.Credential{Leaf: cert}), "<SHA-1>")
	golden.Check(t, "doctor-healthy", []byte(got))
	if diff := cmp.Diff([]string{`GET /.well-known/openid-configuration auth=""`}, idp.requests()); diff != "" {
		t.Errorf("requests the server saw (-want +got):\n%s", diff)
	}
}

// TestDoctorProblemsGolden: every local problem is a FAIL with its fix,
// nothing is contacted over plain http, and the exit code is 2.
func TestDoctorProblemsGolden(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	certPath, cert := writeCert(t, dir, fixedNow.Add(-48*time.Hour), fixedNow.Add(-time.Hour))
	pw := writeFileMode(t, filepath.Join(dir, "pw.txt"), "hunter2\n", 0o644)
	cfg := writeFileMode(t, filepath.Join(dir, "config.toml"), fmt.Sprintf(`[profiles.broken]
provider = "password"
token_url = "http://idp.example.com/token"
client_id = "app"
client_secret = "env:DOCTOR_TEST_UNSET"
password = "file:%s"
client_certificate = %q
`, pw, certPath), 0o600)
	cacheDir := filepath.Join(dir, "cache")
	if err := os.Mkdir(cacheDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(cacheDir, 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := runAt(t, fixedNow, map[string]string{"KEYFOB_CONFIG": cfg, "KEYFOB_CACHE_DIR": cacheDir,
		"KEYFOB_KEYRING": "sometimes"}, "doctor", "-p", "broken")
	if code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if strings.Contains(stdout, "hunter2") {
		t.Errorf("the output shows a secret:\n%s", stdout)
	}
	got := normalize(stdout, dir, "$TMP", assertion.ThumbprintS256(cert), "<x5t#S256>", assertion.ThumbprintSHA1(cert), "<x5t>",
		sha1Hex(&assertion.Credential{Leaf: cert}), "<SHA-1>")
	golden.Check(t, "doctor-problems", []byte(got))
}

// doctorJSON runs keyfob doctor -o json and decodes the report.
func doctorJSON(t *testing.T, vars map[string]string, args ...string) (doctorReport, int) {
	t.Helper()
	stdout, stderr, code := runAt(t, fixedNow, vars, append([]string{"doctor", "-o", "json"}, args...)...)
	var r doctorReport
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("doctor -o json: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
	}
	if r.ExitCode != code {
		t.Errorf("exit_code %d in the report, but exit %d", r.ExitCode, code)
	}
	return r, code
}

// statusOf returns the status and detail of the last check named name.
func statusOf(r doctorReport, name string) (doctorStatus, string) {
	var status doctorStatus = "absent"
	detail := ""
	for _, c := range r.Checks {
		if c.Check == name {
			status, detail = c.Status, c.Detail
		}
	}
	return status, detail
}

func TestDoctorExitCodes(t *testing.T) {
	t.Parallel()
	tokenURLProfile := func(f *fakeIdP) string {
		return fmt.Sprintf("[profiles.p]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = \"a\"\n", f.URL+"/token")
	}
	issuerProfile := func(f *fakeIdP) string {
		return fmt.Sprintf("[profiles.p]\nprovider = \"client_credentials\"\nissuer = %q\nclient_id = \"a\"\n", f.URL)
	}
	tests := map[string]struct {
		idp        idpConfig
		down       bool
		profile    func(*fakeIdP) string
		args       []string
		wantCode   int
		wantCheck  string
		wantStatus doctorStatus
		wantDetail string
	}{
		"token endpoint answering 405 is reachable": {profile: tokenURLProfile, wantCode: ExitOK,
			wantCheck: "endpoint", wantStatus: doctorPass, wantDetail: "HTTP 405 (reachable"},
		"server down": {down: true, profile: issuerProfile, wantCode: ExitUnavailable,
			wantCheck: "endpoint", wantStatus: doctorFail, wantDetail: "connection refused"},
		"discovery failing": {idp: idpConfig{discoveryStatus: 503}, profile: issuerProfile, wantCode: ExitUnavailable,
			wantCheck: "endpoint", wantStatus: doctorFail, wantDetail: "HTTP 503"},
		"no discovery at the issuer": {idp: idpConfig{discoveryStatus: 404}, profile: issuerProfile, wantCode: ExitUsage,
			wantCheck: "endpoint", wantStatus: doctorFail, wantDetail: "HTTP 404"},
		"issuer mismatch": {idp: idpConfig{issuer: "https://elsewhere.example"}, profile: issuerProfile, wantCode: ExitOK,
			wantCheck: "endpoint", wantStatus: doctorWarn, wantDetail: `names issuer "https://elsewhere.example"`},
		"clock 2m ahead": {idp: idpConfig{skew: -2 * time.Minute}, profile: tokenURLProfile, wantCode: ExitOK,
			wantCheck: "clock", wantStatus: doctorWarn, wantDetail: "the local clock is 2m0s ahead of"},
		"clock 10m behind": {idp: idpConfig{skew: 10 * time.Minute}, profile: tokenURLProfile, wantCode: ExitUsage,
			wantCheck: "clock", wantStatus: doctorFail, wantDetail: "the local clock is 10m0s behind"},
		"no Date header": {idp: idpConfig{noDate: true}, profile: tokenURLProfile, wantCode: ExitOK,
			wantCheck: "clock", wantStatus: doctorWarn, wantDetail: "no usable Date header"},
		"unknown profile": {profile: tokenURLProfile, args: []string{"-p", "nope"}, wantCode: ExitUsage,
			wantCheck: "profile", wantStatus: doctorFail, wantDetail: `"nope"`},
		"unknown provider": {profile: func(*fakeIdP) string { return "[profiles.p]\nprovider = \"telepathy\"\n" },
			wantCode: ExitUsage, wantCheck: "provider", wantStatus: doctorFail, wantDetail: `unknown provider "telepathy"`},
		"missing required keys": {profile: func(*fakeIdP) string { return "[profiles.p]\nprovider = \"password\"\nclient_id = \"a\"\n" },
			wantCode: ExitUsage, wantCheck: "keys", wantStatus: doctorFail, wantDetail: "missing username; password; token_url, authority or issuer"},
		"environment without AZURE variables": {profile: func(*fakeIdP) string { return "" }, args: []string{"-p", "environment"},
			wantCode: ExitUsage, wantCheck: "keys", wantStatus: doctorFail, wantDetail: "missing token_url, authority or issuer"},
		"flag-only profile": {profile: func(*fakeIdP) string { return "" }, args: []string{"--provider", "token_exchange", "--subject-token", "env:DOCTOR_TEST_UNSET"},
			wantCode: ExitUsage, wantCheck: "secret", wantStatus: doctorFail, wantDetail: "subject_token: environment variable DOCTOR_TEST_UNSET is not set"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			idp := startIdP(t, tc.idp)
			if tc.down {
				idp.Close()
			}
			dir := t.TempDir()
			cfg := writeFileMode(t, filepath.Join(dir, "config.toml"), "default_profile = \"p\"\n"+tc.profile(idp), 0o600)
			r, code := doctorJSON(t, map[string]string{"KEYFOB_CONFIG": cfg}, tc.args...)
			if code != tc.wantCode {
				t.Errorf("exit %d, want %d; checks: %+v", code, tc.wantCode, r.Checks)
			}
			status, detail := statusOf(r, tc.wantCheck)
			if status != tc.wantStatus || !strings.Contains(detail, tc.wantDetail) {
				t.Errorf("check %s = %s %q, want %s containing %q", tc.wantCheck, status, detail, tc.wantStatus, tc.wantDetail)
			}
		})
	}
}

// TestDoctorCertificateValidity: expired and not yet valid certificates
// fail, one close to expiry draws a warning.
func TestDoctorCertificateValidity(t *testing.T) {
	t.Parallel()
	day := 24 * time.Hour
	tests := map[string]struct {
		notBefore, notAfter time.Time
		wantStatus          doctorStatus
		wantDetail          string
	}{
		"valid":          {fixedNow.Add(-day), fixedNow.Add(100 * day), doctorPass, "100 days left"},
		"expiring soon":  {fixedNow.Add(-day), fixedNow.Add(10 * day), doctorWarn, "10 days left"},
		"expired":        {fixedNow.Add(-10 * day), fixedNow.Add(-day), doctorFail, "expired on 2026-11-20 12:00:00 UTC"},
		"not yet valid":  {fixedNow.Add(day), fixedNow.Add(10 * day), doctorFail, "is not valid before 2026-11-22"},
		"exactly 30 day": {fixedNow.Add(-day), fixedNow.Add(30*day + time.Hour), doctorPass, "30 days left"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			cert, _ := writeCert(t, dir, tc.notBefore, tc.notAfter)
			cfg := writeFileMode(t, filepath.Join(dir, "config.toml"), fmt.Sprintf(
				"[profiles.p]\nprovider = \"client_credentials\"\nclient_id = \"a\"\nclient_certificate = %q\n", cert), 0o600)
			r, _ := doctorJSON(t, map[string]string{"KEYFOB_CONFIG": cfg}, "-p", "p")
			status, detail := statusOf(r, "certificate")
			if status != tc.wantStatus || !strings.Contains(detail, tc.wantDetail) {
				t.Errorf("certificate = %s %q, want %s containing %q", status, detail, tc.wantStatus, tc.wantDetail)
			}
		})
	}
}

// TestDoctorFilesAndSecrets: secret values are never shown; files others
// can read are failures when they hold a secret.
func TestDoctorFilesAndSecrets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert, _ := writeCert(t, dir, fixedNow.Add(-time.Hour), fixedNow.Add(time.Hour*24*365))
	if err := os.Chmod(cert, 0o640); err != nil {
		t.Fatal(err)
	}
	ca := writeFileMode(t, filepath.Join(dir, "ca.pem"), "not checked here", 0o644)
	secretFile := writeFileMode(t, filepath.Join(dir, "secret"), "file-secret-value\n", 0o600)
	literal := writeFileMode(t, filepath.Join(dir, "literal.toml"), "[profiles.p]\nprovider = \"client_credentials\"\nclient_id = \"a\"\ntoken_url = \"https://idp.invalid/t\"\nclient_secret = \"literal-secret-value\"\n", 0o644)
	cfg := writeFileMode(t, filepath.Join(dir, "config.toml"), fmt.Sprintf(`[profiles.p]
provider = "client_credentials"
client_id = "a"
client_secret = "env:DOCTOR_SECRET"
client_certificate_password = "file:%s"
client_certificate = %q
ca_file = %q
`, secretFile, cert, ca), 0o600)
	vars := map[string]string{"KEYFOB_CONFIG": cfg, "DOCTOR_SECRET": "env-secret-value"}
	stdout, _, _ := runAt(t, fixedNow, vars, "doctor", "-p", "p")
	r, _ := doctorJSON(t, vars, "-p", "p")
	var got []string
	for _, c := range r.Checks {
		if c.Check == "secret" || c.Check == "file" {
			got = append(got, fmt.Sprintf("%s %s %s", c.Status, c.Check, strings.ReplaceAll(c.Detail, dir, "$TMP")))
		}
	}
	want := []string{
		"PASS secret client_certificate_password: file:" + strings.ReplaceAll(secretFile, dir, "$TMP") + " is readable",
		"PASS secret client_secret: env:DOCTOR_SECRET is set",
		"FAIL file client_certificate: $TMP/app.pem holds a private key and is readable by others (mode 0640)",
		"PASS file ca_file: $TMP/ca.pem (mode 0644)",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("secret and file checks (-want +got):\n%s", diff)
	}
	lit, _, code := runAt(t, fixedNow, map[string]string{"KEYFOB_CONFIG": literal}, "doctor", "-p", "p", "--timeout", "1ms")
	if code != ExitUsage || !strings.Contains(lit, "FAIL  config") || !strings.Contains(lit, "run chmod 600 "+literal) {
		t.Errorf("a world-readable config with a literal secret: exit %d, want 2 and a config FAIL with its fix:\n%s", code, lit)
	}
	for _, out := range []string{stdout, lit} {
		for _, secret := range []string{"env-secret-value", "file-secret-value", "literal-secret-value"} {
			if strings.Contains(out, secret) {
				t.Errorf("doctor shows the secret %q:\n%s", secret, out)
			}
		}
	}
}

// fakeKeyring answers Sealer with a fixed status.
func fakeKeyring(st keyring.Status) func(context.Context, keyring.Options) (cache.Sealer, keyring.Status) {
	return func(_ context.Context, opts keyring.Options) (cache.Sealer, keyring.Status) {
		if opts.Mode == keyring.Off {
			return nil, keyring.Status{Disabled: true}
		}
		return nil, st
	}
}

func TestDoctorKeyring(t *testing.T) {
	t.Parallel()
	unusable := keyring.Status{Backend: "Secret Service", Err: errors.New("no D-Bus session bus")}
	tests := map[string]struct {
		mode       string
		status     keyring.Status
		want       doctorStatus
		wantDetail string
	}{
		"off":              {mode: "off", want: doctorPass, wantDetail: "turned off (KEYFOB_KEYRING=off)"},
		"sealed":           {status: keyring.Status{Backend: "Secret Service", Sealed: true}, want: doctorPass, wantDetail: "Secret Service: usable; refresh state is sealed"},
		"new key":          {status: keyring.Status{Backend: "macOS Keychain", Sealed: true, Created: true}, want: doctorPass, wantDetail: "a new key"},
		"unusable, auto":   {status: unusable, want: doctorWarn, wantDetail: "not usable (no D-Bus session bus); refresh state is kept in plain files"},
		"unusable, needed": {mode: "require", status: unusable, want: doctorFail, wantDetail: "KEYFOB_KEYRING=require"},
		"no backend":       {status: keyring.Status{Err: errors.New("unsupported")}, want: doctorWarn, wantDetail: "none on this system"},
		"bad mode":         {mode: "sometimes", want: doctorFail, wantDetail: `unknown keyring mode "sometimes"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			vars := map[string]string{"KEYFOB_KEYRING": tc.mode}
			d := &doctor{env: &Env{Getenv: func(k string) string { return vars[k] }}, keyring: fakeKeyring(tc.status)}
			d.checkKeyring(t.Context(), nil)
			status, detail := statusOf(d.report, "keyring")
			if status != tc.want || !strings.Contains(detail, tc.wantDetail) {
				t.Errorf("keyring = %s %q, want %s containing %q", status, detail, tc.want, tc.wantDetail)
			}
		})
	}
}

// TestDoctorRefusesPlainHTTP: a refused URL is a configuration failure,
// and no connection is made.
func TestDoctorRefusesPlainHTTP(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := writeFileMode(t, filepath.Join(dir, "config.toml"),
		"[profiles.p]\nprovider = \"client_credentials\"\nclient_id = \"a\"\nissuer = \"http://192.0.2.1\"\n", 0o600)
	r, code := doctorJSON(t, map[string]string{"KEYFOB_CONFIG": cfg}, "-p", "p")
	status, detail := statusOf(r, "endpoint")
	if code != ExitUsage || status != doctorFail || !strings.Contains(detail, "refusing plain http://") {
		t.Errorf("exit %d, endpoint %s %q; want 2 and a FAIL refusing the URL", code, status, detail)
	}
	if s, _ := statusOf(r, "clock"); s != "absent" {
		t.Errorf("clock checked (%s) without an answer", s)
	}
}
