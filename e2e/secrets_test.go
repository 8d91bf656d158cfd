//go:build linux

package e2e_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keyfob/keyfob/e2e/harness"
	"github.com/keyfob/keyfob/e2e/servers"
)

// Secret hygiene, proven. TestSecretHygiene runs keyfob's end-to-end flows
// at KEYFOB_LOG=trace against zitadel and fosite, whose handlers record
// (servers.Recorder) every secret they receive and issue — client secrets,
// passwords, client assertions, authorization codes, PKCE verifiers,
// device codes, refresh, access and ID tokens. It then searches every byte
// keyfob wrote — stdout beyond the intended payload, stderr (or the
// terminal), every file under its home, cache, config and temporary
// directories after every step — for each of those secrets, verbatim and
// in the encoded forms they take on the wire and in logs (base64,
// base64url, client_id:secret as in Basic authorization, URL and JSON
// escaping). The only hits allowed are the cache entries meant for a
// token: access (and ID) tokens in at-*.json, refresh tokens in st-*.bin.
//
// TestSecretsNeverOnCommandLines reads /proc/PID/cmdline of a running
// keyfob and of every process it started while a slow token endpoint
// holds the request, and TestSecretHygiene checks that a literal secret on
// a flag is refused (exit 2) without being echoed.
//
// Keyfob runs with KEYFOB_KEYRING=auto. The harness passes no
// DBUS_SESSION_BUS_ADDRESS, so on a test machine no keyring is usable and
// refresh state is stored unsealed, which is allowed. Should a keyring be
// reachable (a session bus at /run/user/UID/bus), the state file's header
// says sealed, and then no refresh token may show in it in the clear.

// minSecretLen is the shortest value searched for: shorter ones would
// match by chance.
const minSecretLen = 8

// secretKind says what a secret is, for messages and for the cache
// entries that may hold it.
type secretKind string

const (
	kindAccess       secretKind = "access token"
	kindID           secretKind = "ID token"
	kindRefresh      secretKind = "refresh token"
	kindClientSecret secretKind = "client secret"
	kindPassword     secretKind = "password"
	kindCertPassword secretKind = "certificate password"
	kindAssertion    secretKind = "client assertion"
	kindCode         secretKind = "authorization code"
	kindVerifier     secretKind = "PKCE verifier"
	kindDeviceCode   secretKind = "device code"
	kindSubjectToken secretKind = "subject or actor token"
	kindRevoked      secretKind = "revoked token"
	kindPrivateKey   secretKind = "private key"
	kindLiteral      secretKind = "literal secret given on a flag"
)

// recordedKinds maps the Recorder's names to kinds.
var recordedKinds = map[string]secretKind{
	"access_token": kindAccess, "bearer": kindAccess, "id_token": kindID, "refresh_token": kindRefresh,
	"client_secret": kindClientSecret, "client_assertion": kindAssertion, "assertion": kindAssertion,
	"code": kindCode, "code_verifier": kindVerifier, "password": kindPassword, "device_code": kindDeviceCode,
	"subject_token": kindSubjectToken, "actor_token": kindSubjectToken, "token": kindRevoked,
}

// secretSet maps each secret value to what it is (one value can be
// recorded under several names: a refresh token is also the token a
// revocation request names).
type secretSet map[string]map[secretKind]bool

func (s secretSet) add(kind secretKind, values ...string) {
	for _, v := range values {
		if v == "" {
			continue
		}
		if s[v] == nil {
			s[v] = map[secretKind]bool{}
		}
		s[v][kind] = true
	}
}

func (s secretSet) addRecorded(t *testing.T, rec *servers.Recorder) {
	t.Helper()
	for name, values := range rec.All() {
		kind, ok := recordedKinds[name]
		if !ok {
			t.Fatalf("the recorder keeps %q, which this test does not classify", name)
		}
		s.add(kind, values...)
	}
}

// kinds lists v's kinds, for messages.
func (s secretSet) kinds(v string) string {
	var out []string
	for k := range s[v] {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return strings.Join(out, "/")
}

// secretForm is one way a secret can show.
type secretForm struct{ name, text string }

// secretForms returns s verbatim and in every encoding searched for:
// base64 and base64url (unpadded, so the padded forms match too),
// URL-encoded (query and path escaping), JSON-escaped (with and without
// HTML escaping), and base64 of "client_id:s" as in HTTP Basic
// authorization, plain and form-urlencoded first (RFC 6749 §2.3.1), for
// every client id given.
func secretForms(s string, clientIDs []string) []secretForm {
	forms := []secretForm{
		{"verbatim", s},
		{"base64", base64.RawStdEncoding.EncodeToString([]byte(s))},
		{"base64url", base64.RawURLEncoding.EncodeToString([]byte(s))},
		{"URL-encoded", url.QueryEscape(s)},
		{"URL-path-encoded", url.PathEscape(s)},
		{"JSON-escaped", jsonEscape(s, true)},
		{"JSON-escaped (no HTML escaping)", jsonEscape(s, false)},
	}
	for _, id := range clientIDs {
		forms = append(forms,
			secretForm{"Basic " + id + ":secret", base64.RawStdEncoding.EncodeToString([]byte(id + ":" + s))},
			secretForm{"Basic " + id + ":secret, form-encoded", base64.RawStdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(s)))})
	}
	seen := map[string]bool{}
	out := forms[:0]
	for _, f := range forms {
		if !seen[f.text] {
			seen[f.text] = true
			out = append(out, f)
		}
	}
	return out
}

// jsonEscape is s as it appears inside a JSON string.
func jsonEscape(s string, html bool) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(b.String(), "\n"), `"`), `"`)
}

// fp is a secret's fingerprint for messages: never the secret itself.
func fp(s string) string {
	sum := sha256.Sum256([]byte(s))
	return fmt.Sprintf("%d chars, sha256:%s", len(s), hex.EncodeToString(sum[:4]))
}

// scanItem is a piece of keyfob's output or a file it wrote, and the
// kinds of secret it may hold.
type scanItem struct {
	where   string
	data    []byte
	allowed map[secretKind]bool
	state   bool // a refresh-state file (st-*.bin)
	sealed  bool // … whose header says its payload is sealed
}

// secretHit is one secret found where it must not be.
type secretHit struct {
	where, kinds, form, fingerprint string
}

func (h secretHit) String() string {
	return fmt.Sprintf("%s holds a %s (%s) %s", h.where, h.kinds, h.fingerprint, h.form)
}

// scanSecrets searches every item for every secret of at least
// minSecretLen characters in every form.
func scanSecrets(items []scanItem, secrets secretSet, clientIDs []string) []secretHit {
	values := make([]string, 0, len(secrets))
	for v := range secrets {
		if len(v) >= minSecretLen {
			values = append(values, v)
		}
	}
	sort.Strings(values)
	var hits []secretHit
	for _, v := range values {
		forms := secretForms(v, clientIDs)
		for _, it := range items {
			allowed := false
			for k := range secrets[v] {
				allowed = allowed || it.allowed[k]
			}
			if allowed {
				continue
			}
			for _, f := range forms {
				if bytes.Contains(it.data, []byte(f.text)) {
					hits = append(hits, secretHit{where: it.where, kinds: secrets.kinds(v), form: f.name, fingerprint: fp(v)})
					break
				}
			}
		}
	}
	return hits
}

// TestSecretScannerFindsEveryForm proves the scanner: each form of a
// secret is found, and nothing else is.
func TestSecretScannerFindsEveryForm(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t+/ value&<x>=\"q\"\\"
	secrets := secretSet{}
	secrets.add(kindClientSecret, secret)
	secrets.add(kindAccess, "an-access-token-1234")
	clients := []string{"client id"}
	for _, f := range secretForms(secret, clients) {
		item := scanItem{where: f.name, data: []byte("before " + f.text + " after")}
		if hits := scanSecrets([]scanItem{item}, secrets, clients); len(hits) != 1 || hits[0].form != f.name {
			t.Errorf("form %s (%q): hits %v, want exactly one of that form", f.name, f.text, hits)
		}
	}
	basic := "Authorization: Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape("client id")+":"+url.QueryEscape(secret)))
	if hits := scanSecrets([]scanItem{{where: "header", data: []byte(basic)}}, secrets, clients); len(hits) != 1 {
		t.Errorf("a Basic header: hits %v, want 1", hits)
	}
	clean := []scanItem{
		{where: "clean", data: []byte("nothing here but s3cr3t and an-access-token")},
		{where: "at-x.json", data: []byte(`{"access_token":"an-access-token-1234"}`), allowed: map[secretKind]bool{kindAccess: true}},
	}
	if hits := scanSecrets(clean, secrets, clients); len(hits) != 0 {
		t.Errorf("false hits: %v", hits)
	}
}

// Names of the environment variables the hygiene profiles reference: one
// per secret, so each secret reaches keyfob only through its reference.
const (
	hygZitadelBasicVar = "E2E_HYG_ZB_SECRET"
	hygZitadelPostVar  = "E2E_HYG_ZP_SECRET"
	hygDeviceVar       = "E2E_HYG_DEVICE_SECRET"
	hygFositeBasicVar  = "E2E_HYG_FB_SECRET"
	hygFositePostVar   = "E2E_HYG_FP_SECRET"
	hygPasswordVar     = "E2E_HYG_PASSWORD"
	hygPFXPasswordVar  = "E2E_HYG_PFX_PASSWORD"
	hygRefreshVar      = "E2E_HYG_REFRESH_TOKEN"
)

// Hosts the host-protocol profiles serve.
const (
	hygGitHost      = "git.example.test"
	hygRegistryHost = "registry.example.test"
	hygBazelHost    = "bazel.example.test"
	hygTerraform    = "tf.example.test"
)

// payloadKind says where a command's stdout carries its intended payload,
// the access token; everything else on stdout is searched.
type payloadKind int

const (
	payloadNone      payloadKind = iota // nothing on stdout is a token
	payloadRaw                          // token -o raw
	payloadHeader                       // token -o header
	payloadJSON                         // token -o json: access_token
	payloadGit                          // git get: password= or credential=
	payloadKubectl                      // ExecCredential status.token
	payloadDocker                       // docker get: Secret
	payloadBazel                        // bazel get: headers.Authorization[0] "Bearer …"
	payloadTerraform                    // terraform get: token
)

// stripPayload returns stdout without its payload, and the payload.
func stripPayload(t *testing.T, kind payloadKind, stdout string) (rest, token string) {
	t.Helper()
	jsonField := func(get func(m map[string]any) (string, bool)) (string, string) {
		var m map[string]any
		if err := json.Unmarshal([]byte(stdout), &m); err != nil {
			t.Fatalf("stdout is not a JSON object: %v\n%s", err, stdout)
		}
		tok, ok := get(m)
		if !ok || tok == "" {
			t.Fatalf("no payload token in stdout:\n%s", stdout)
		}
		b, _ := json.Marshal(m) // the payload field removed by get
		return string(b), tok
	}
	switch kind {
	case payloadNone:
		return stdout, ""
	case payloadRaw:
		return "", rawToken(t, stdout)
	case payloadHeader:
		return "", headerToken(t, stdout)
	case payloadJSON:
		return jsonField(func(m map[string]any) (string, bool) { return take(m, "access_token") })
	case payloadDocker:
		return jsonField(func(m map[string]any) (string, bool) { return take(m, "Secret") })
	case payloadTerraform:
		return jsonField(func(m map[string]any) (string, bool) { return take(m, "token") })
	case payloadKubectl:
		return jsonField(func(m map[string]any) (string, bool) {
			status, _ := m["status"].(map[string]any)
			return take(status, "token")
		})
	case payloadBazel:
		return jsonField(func(m map[string]any) (string, bool) {
			headers, _ := m["headers"].(map[string]any)
			auth, _ := headers["Authorization"].([]any)
			if len(auth) != 1 {
				return "", false
			}
			s, _ := auth[0].(string)
			headers["Authorization"] = []any{}
			return strings.CutPrefix(s, "Bearer ")
		})
	case payloadGit:
		var kept []string
		for _, line := range strings.Split(stdout, "\n") {
			if k, v, ok := strings.Cut(line, "="); ok && (k == "password" || k == "credential") {
				if token != "" {
					t.Fatalf("two tokens in git's answer:\n%s", stdout)
				}
				token = v
				continue
			}
			kept = append(kept, line)
		}
		if token == "" {
			t.Fatalf("no password= or credential= in git's answer:\n%s", stdout)
		}
		return strings.Join(kept, "\n"), token
	}
	t.Fatalf("unknown payload kind %d", kind)
	return "", ""
}

// take removes m[key] and returns it as a string.
func take(m map[string]any, key string) (string, bool) {
	s, ok := m[key].(string)
	delete(m, key)
	return s, ok
}

// hygStep is one keyfob invocation of the walk.
type hygStep struct {
	label   string
	args    []string
	stdin   string
	env     []string
	payload payloadKind
	code    int // the exit code wanted
}

// hygiene is the world of TestSecretHygiene: the servers, one home for
// every step, and what the steps left to scan.
type hygiene struct {
	t        *testing.T
	bin      string
	home     string // HOME, XDG dirs, cache, config
	tmp      string // keyfob's TMPDIR
	cfg      string
	rec      *servers.Recorder
	z        *servers.Zitadel
	f        *servers.Fosite
	env      []string
	known    secretSet // secrets the test itself holds
	items    []scanItem
	seen     map[string]bool // file snapshots already taken: path and content hash
	payloads []string        // tokens printed as payloads, with their step
	steps    []string
}

func newHygiene(t *testing.T) *hygiene {
	t.Helper()
	h := &hygiene{t: t, bin: keyfobBin(t), home: t.TempDir(), tmp: t.TempDir(), rec: servers.NewRecorder(),
		known: secretSet{}, seen: map[string]bool{}}
	h.z = servers.StartZitadel(t, servers.ZitadelRecorder(h.rec))
	key := clientKeys[ps256Client]()
	h.f = servers.StartFosite(t, servers.FositeRecorder(h.rec),
		servers.WithAssertionClients(servers.AssertionClient{ID: ps256Client, Alg: "PS256", Key: &key.PublicKey}))

	// The PFX lives outside the scanned directories: it is the test's, not
	// keyfob's.
	pfxPassword := randomPassword(t)
	pfx := certFile{format: formatPFX, key: key}.write(t, t.TempDir(), pfxPassword)
	rt := h.f.IssueRefreshToken(t) // recorded too
	h.known.add(kindClientSecret, h.z.BasicClient.Secret, h.z.PostClient.Secret, h.z.DeviceClient.Secret,
		h.f.Client.Secret, h.f.PostClient.Secret)
	h.known.add(kindPassword, h.f.User.Password, h.z.User.Password)
	h.known.add(kindCertPassword, pfxPassword)
	h.known.add(kindRefresh, rt)
	h.known.add(kindPrivateKey, keyLines(t, key)...)

	f, z := h.f, h.z
	profiles := []string{
		fmt.Sprintf("[profiles.cc-basic]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_basic\"\nscopes = [\"api\"]\nhosts = [%q]\n",
			z.TokenURL, z.BasicClient.ID, hygZitadelBasicVar, hygGitHost),
		fmt.Sprintf("[profiles.cc-post]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_post\"\nscopes = [\"api\"]\n",
			z.TokenURL, z.PostClient.ID, hygZitadelPostVar),
		fmt.Sprintf("[profiles.pw]\nprovider = \"password\"\ntoken_url = %q\nrevocation_url = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_basic\"\nusername = %q\npassword = \"env:%s\"\nscopes = [\"openid\", \"offline_access\", \"api\"]\nhosts = [%q, %q, %q]\n",
			f.TokenURL, f.RevocationURL, f.Client.ID, hygFositeBasicVar, f.User.Username, hygPasswordVar, hygRegistryHost, hygBazelHost, hygTerraform),
		fmt.Sprintf("[profiles.pw-post]\nprovider = \"password\"\ntoken_url = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_post\"\nusername = %q\npassword = \"env:%s\"\nscopes = [\"offline_access\", \"api\"]\n",
			f.TokenURL, f.PostClient.ID, hygFositePostVar, f.User.Username, hygPasswordVar),
		fmt.Sprintf("[profiles.rt]\nprovider = \"refresh_token\"\ntoken_url = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_basic\"\nrefresh_token = \"env:%s\"\n",
			f.TokenURL, f.Client.ID, hygFositeBasicVar, hygRefreshVar),
		fmt.Sprintf("[profiles.pfx-cc]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = %q\nclient_certificate = %q\nclient_certificate_password = \"env:%s\"\nclient_assertion_alg = \"PS256\"\nscopes = [\"api\"]\n",
			f.TokenURL, ps256Client, pfx, hygPFXPasswordVar),
		fmt.Sprintf("[profiles.pfx-pw]\nprovider = \"password\"\ntoken_url = %q\nclient_id = %q\nclient_certificate = %q\nclient_certificate_password = \"env:%s\"\nclient_assertion_alg = \"PS256\"\nusername = %q\npassword = \"env:%s\"\nscopes = [\"offline_access\", \"api\"]\n",
			f.TokenURL, ps256Client, pfx, hygPFXPasswordVar, f.User.Username, hygPasswordVar),
		fmt.Sprintf("[profiles.ac]\nprovider = \"authorization_code\"\nissuer = %q\nclient_id = %q\nscopes = [\"openid\"]\n",
			z.Issuer, z.NativeClient.ID),
		fmt.Sprintf("[profiles.dc]\nprovider = \"device_code\"\nissuer = %q\nclient_id = %q\nclient_secret = \"env:%s\"\nclient_auth = \"client_secret_basic\"\nscopes = [\"openid\"]\n",
			z.Issuer, z.DeviceClient.ID, hygDeviceVar),
	}
	h.cfg = harness.WriteConfig(t, h.home, strings.Join(profiles, "\n"))
	h.env = env("KEYFOB_CONFIG", h.cfg, "KEYFOB_LOG", "trace", "KEYFOB_KEYRING", "auto", "TMPDIR", h.tmp,
		hygZitadelBasicVar, z.BasicClient.Secret, hygZitadelPostVar, z.PostClient.Secret, hygDeviceVar, z.DeviceClient.Secret,
		hygFositeBasicVar, f.Client.Secret, hygFositePostVar, f.PostClient.Secret, hygPasswordVar, f.User.Password,
		hygPFXPasswordVar, pfxPassword, hygRefreshVar, rt)
	return h
}

func (h *hygiene) cacheDir() string { return filepath.Join(h.home, ".cache", "keyfob") }

// run runs one step through the harness and keeps its output for the scan.
func (h *hygiene) run(s hygStep) harness.Result {
	t := h.t
	t.Helper()
	res := harness.Run(t, h.bin, harness.RunOpts{Home: h.home, Args: s.args, Stdin: s.stdin, Env: append(slices.Clone(h.env), s.env...)})
	if res.ExitCode != s.code {
		t.Fatalf("%s: exit %d, want %d:\n%s", s.label, res.ExitCode, s.code, res)
	}
	if res.Leftovers {
		t.Errorf("%s: keyfob left a process running", s.label)
	}
	h.keep(s.label, s.payload, res.Stdout, res.Stderr)
	return res
}

// keep strips the payload from stdout, keeps the rest and stderr for the
// scan, and snapshots the files keyfob may have written.
func (h *hygiene) keep(label string, kind payloadKind, stdout, stderr string) {
	h.t.Helper()
	h.steps = append(h.steps, label)
	rest, token := stripPayload(h.t, kind, stdout)
	if token != "" {
		h.payloads = append(h.payloads, label+"\x00"+token)
	}
	h.items = append(h.items,
		scanItem{where: label + ": stdout (payload removed)", data: []byte(rest)},
		scanItem{where: label + ": stderr", data: []byte(stderr)})
	h.snapshot(label)
}

// snapshot keeps every regular file under home and TMPDIR whose content is
// new. A cache entry may hold the tokens it is meant for: access and ID
// tokens in at-*.json, refresh tokens in st-*.bin. Cache files must be
// private to the user.
func (h *hygiene) snapshot(label string) {
	t := h.t
	t.Helper()
	for _, root := range []string{h.home, h.tmp} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.Type().IsRegular() {
				return nil
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			key := path + "\x00" + hex.EncodeToString(sum[:])
			if h.seen[key] {
				return nil
			}
			h.seen[key] = true
			rel, _ := filepath.Rel(root, path)
			item := scanItem{where: fmt.Sprintf("file %s (after %s)", rel, label), data: data}
			if filepath.Dir(path) == h.cacheDir() {
				if info, err := d.Info(); err == nil && info.Mode().Perm()&0o077 != 0 {
					t.Errorf("cache file %s has mode %v, want no access for others", rel, info.Mode().Perm())
				}
				base := filepath.Base(path)
				switch {
				case strings.HasPrefix(base, "at-") && strings.HasSuffix(base, ".json"):
					item.allowed = map[secretKind]bool{kindAccess: true, kindID: true}
				case strings.HasPrefix(base, "st-") && strings.HasSuffix(base, ".bin"):
					// A header line, then the state: sealed when a keyring
					// was usable, and then no refresh token may show in the
					// clear; plain otherwise (no D-Bus session here).
					item.state = true
					line, _, _ := bytes.Cut(data, []byte("\n"))
					var header struct {
						Sealed bool `json:"sealed"`
					}
					if err := json.Unmarshal(line, &header); err != nil {
						t.Errorf("state file %s: no header line: %v", rel, err)
					}
					item.sealed = header.Sealed
					if !header.Sealed {
						item.allowed = map[secretKind]bool{kindRefresh: true}
					}
				}
			}
			h.items = append(h.items, item)
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatalf("snapshot after %s: %v", label, err)
		}
	}
}

// TestSecretHygiene walks the end-to-end flows and then proves that no
// secret shows where it must not.
func TestSecretHygiene(t *testing.T) {
	t.Parallel()
	h := newHygiene(t)
	browser := signingBrowser(t)
	steps := []hygStep{
		// client_credentials with a client secret, Basic and form post.
		{label: "client_credentials basic", args: []string{"token", "-p", "cc-basic"}, payload: payloadRaw},
		{label: "client_credentials basic, cached, -o json", args: []string{"token", "-p", "cc-basic", "-o", "json"}, payload: payloadJSON},
		{label: "client_credentials basic, --force-refresh -o header", args: []string{"token", "-p", "cc-basic", "--force-refresh", "-o", "header"}, payload: payloadHeader},
		{label: "client_credentials post -o header", args: []string{"token", "-p", "cc-post", "-o", "header"}, payload: payloadHeader},
		// password grant, then its refresh token.
		{label: "password -o json", args: []string{"token", "-p", "pw", "-o", "json"}, payload: payloadJSON},
		{label: "password --force-refresh", args: []string{"token", "-p", "pw", "--force-refresh"}, payload: payloadRaw},
		{label: "password post", args: []string{"token", "-p", "pw-post"}, payload: payloadRaw},
		{label: "password post --force-refresh", args: []string{"token", "-p", "pw-post", "--force-refresh"}, payload: payloadRaw},
		// the refresh_token provider, and its rotated token.
		{label: "refresh_token", args: []string{"token", "-p", "rt"}, payload: payloadRaw},
		{label: "refresh_token --force-refresh", args: []string{"token", "-p", "rt", "--force-refresh", "-o", "json"}, payload: payloadJSON},
		// private_key_jwt with a PFX and its password.
		{label: "private_key_jwt PFX client_credentials", args: []string{"token", "-p", "pfx-cc", "-o", "json"}, payload: payloadJSON},
		{label: "private_key_jwt PFX password", args: []string{"token", "-p", "pfx-pw"}, payload: payloadRaw},
		{label: "private_key_jwt PFX password --force-refresh", args: []string{"token", "-p", "pfx-pw", "--force-refresh"}, payload: payloadRaw},
		// authorization code with PKCE in the scripted browser, then refresh.
		{label: "login authorization_code", args: []string{"login", "-p", "ac"}, env: browser.env},
		{label: "authorization_code --force-refresh", args: []string{"token", "-p", "ac", "--force-refresh"}, payload: payloadRaw},
	}
	for _, s := range steps {
		h.run(s)
	}
	h.deviceLogin()
	steps = []hygStep{
		// host protocols: the token is the payload.
		{label: "git get", args: []string{"git", "get"}, stdin: "protocol=https\nhost=" + hygGitHost + "\n\n", payload: payloadGit},
		{label: "git get authtype", args: []string{"git", "get"}, stdin: "capability[]=authtype\nprotocol=https\nhost=" + hygGitHost + "\n\n", payload: payloadGit},
		{label: "git erase", args: []string{"git", "erase"}, stdin: "protocol=https\nhost=" + hygGitHost + "\n\n"},
		{label: "kubectl (password profile)", args: []string{"kubectl", "-p", "pw"}, payload: payloadKubectl},
		{label: "kubectl (authorization_code profile)", args: []string{"kubectl", "-p", "ac"}, env: []string{`KUBERNETES_EXEC_INFO={"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}`}, payload: payloadKubectl},
		{label: "docker get", args: []string{"docker", "get"}, stdin: hygRegistryHost, payload: payloadDocker},
		{label: "bazel get", args: []string{"bazel", "get"}, stdin: `{"uri":"https://` + hygBazelHost + `/x.tar.gz"}`, payload: payloadBazel},
		{label: "terraform get", args: []string{"terraform", "get", hygTerraform}, payload: payloadTerraform},
		// listings never show a secret.
		{label: "cache list", args: []string{"cache", "list"}},
		{label: "profiles", args: []string{"profiles"}},
		{label: "profiles -o json", args: []string{"profiles", "-o", "json"}},
		// logout: revocation at the discovered endpoint and at revocation_url.
		{label: "logout authorization_code", args: []string{"logout", "-p", "ac"}},
		{label: "logout password", args: []string{"logout", "-p", "pw"}},
		{label: "logout --all", args: []string{"logout", "--all"}},
	}
	for _, s := range steps {
		h.run(s)
	}
	h.flagRefusals()

	// What the browser was started with is a child's command line too.
	var argv []string
	for _, run := range browser.runs(t) {
		argv = append(argv, strings.Join(run, " "))
	}
	h.items = append(h.items, scanItem{where: "the browser's command line", data: []byte(strings.Join(argv, "\n"))})
	if len(argv) != 1 {
		t.Errorf("%d browser runs, want 1 (keyfob login)", len(argv))
	}
	h.check()
}

// deviceLogin signs in with the device code on a terminal, as a person
// approving the code on the verification page.
func (h *hygiene) deviceLogin() {
	t := h.t
	t.Helper()
	s := &interactive{z: h.z, bin: h.bin, home: h.home, cfg: h.cfg}
	p := s.start(t, true, h.env, "login", "-p", "dc")
	code := p.waitFor(t, userCode)
	if err := h.z.ApproveDevice(context.Background(), code); err != nil {
		t.Fatalf("approving %s: %v", code, err)
	}
	r := p.wait(t)
	if r.code != 0 {
		t.Fatalf("login -p dc:\n%s", r)
	}
	h.keep("login device_code (terminal)", payloadNone, r.stdout, r.stderr)
}

// secretFlags lists the flags of keyfob's secret-valued keys: the
// contract's list and every key keyfob plugins -o json marks secret for
// keyfob's own providers, so a new secret key is covered as it comes.
// (The name suffixes of docs/plugins.md are for plugins' keys: keyfob's
// own assertion_key is a file path, like client_certificate.)
func (h *hygiene) secretFlags() []string {
	t := h.t
	t.Helper()
	flags := map[string]bool{}
	for _, k := range []string{"client_secret", "password", "client_certificate_password", "refresh_token", "assertion", "subject_token", "actor_token"} {
		flags[strings.ReplaceAll(k, "_", "-")] = true
	}
	res := harness.Run(t, h.bin, harness.RunOpts{Home: t.TempDir(), Args: []string{"plugins", "-o", "json"}})
	var listing []struct {
		Builtin   bool `json:"builtin"`
		Providers []struct {
			ConfigKeys []struct {
				Name   string `json:"name"`
				Secret bool   `json:"secret"`
			} `json:"config_keys"`
		} `json:"providers"`
	}
	if err := json.Unmarshal([]byte(res.Stdout), &listing); err != nil {
		t.Fatalf("keyfob plugins -o json: %v\n%s", err, res)
	}
	for _, p := range listing {
		for _, pr := range p.Providers {
			for _, k := range pr.ConfigKeys {
				if p.Builtin && k.Secret {
					flags[strings.ReplaceAll(k.Name, "_", "-")] = true
				}
			}
		}
	}
	out := make([]string, 0, len(flags))
	for f := range flags {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// flagRefusals gives secrets literally on flags, to every command taking
// profile flags, and wants each refused with exit 2 before any request,
// naming the flag and never echoing the value.
func (h *hygiene) flagRefusals() {
	t := h.t
	t.Helper()
	before := h.z.TokenRequests() + h.f.TokenRequests()
	var steps []hygStep
	for i, flag := range h.secretFlags() {
		literal := fmt.Sprintf("literal-%s-%d-%s", flag, i, randomPassword(t))
		h.known.add(kindLiteral, literal)
		args := []string{"token", "--provider", "client_credentials", "--token-url", h.z.TokenURL, "--client-id", "someone", "--" + flag, literal}
		if i%2 == 1 {
			args = append(args[:len(args)-2], "--"+flag+"="+literal)
		}
		steps = append(steps, hygStep{label: "refused --" + flag, args: args, code: 2})
	}
	steps = append(steps,
		hygStep{label: "refused real client secret on token", args: []string{"token", "-p", "cc-basic", "--client-secret", h.z.BasicClient.Secret}, code: 2},
		hygStep{label: "refused real password on kubectl", args: []string{"kubectl", "-p", "pw", "--password", h.f.User.Password}, code: 2},
		hygStep{label: "refused real secret on login", args: []string{"login", "-p", "dc", "--client-secret=" + h.z.DeviceClient.Secret}, code: 2},
		hygStep{label: "refused real secret on logout", args: []string{"logout", "-p", "pw", "--client-secret", h.f.Client.Secret}, code: 2},
		hygStep{label: "refused real secret on git", args: []string{"git", "--client-secret", h.z.BasicClient.Secret, "get"}, stdin: "protocol=https\nhost=" + hygGitHost + "\n\n", code: 2},
		hygStep{label: "refused real secret on terraform", args: []string{"terraform", "--password", h.f.User.Password, "get", hygTerraform}, code: 2},
	)
	flagName := regexp.MustCompile(`--[a-z-]+`)
	for _, s := range steps {
		res := h.run(s)
		flag := flagName.FindString(strings.Join(s.args[len(s.args)-2:], " "))
		if s.args[0] == "git" || s.args[0] == "terraform" {
			flag = s.args[1]
		}
		if !strings.Contains(res.Stderr, flag) || res.Stdout != "" {
			t.Errorf("%s: want the refusal to name %s on stderr and nothing on stdout:\n%s", s.label, flag, res)
		}
	}
	if after := h.z.TokenRequests() + h.f.TokenRequests(); after != before {
		t.Errorf("refused invocations made %d token requests", after-before)
	}
}

// check gathers every secret and scans everything the steps kept.
func (h *hygiene) check() {
	t := h.t
	t.Helper()
	secrets := secretSet{}
	for v, kinds := range h.known {
		for k := range kinds {
			secrets.add(k, v)
		}
	}
	secrets.addRecorded(t, h.rec)

	// The walk must have produced every kind of secret, or the scan
	// proves nothing about it.
	for _, name := range []string{"access_token", "id_token", "refresh_token", "client_secret", "client_assertion",
		"code", "code_verifier", "password", "device_code", "token"} {
		if len(h.rec.Values(name)) == 0 {
			t.Errorf("the servers never saw a %s: a flow did not run as intended", name)
		}
	}
	for name, want := range map[string][]string{
		"client_secret": {h.z.BasicClient.Secret, h.z.PostClient.Secret, h.z.DeviceClient.Secret, h.f.Client.Secret, h.f.PostClient.Secret},
		"password":      {h.f.User.Password},
	} {
		for _, v := range want {
			if !slices.Contains(h.rec.Values(name), v) {
				t.Errorf("the servers never received the %s %s", name, fp(v))
			}
		}
	}

	// Each payload is an access token a server issued.
	issued := h.rec.Values("access_token")
	for _, p := range h.payloads {
		label, tok, _ := strings.Cut(p, "\x00")
		if !slices.Contains(issued, tok) {
			t.Errorf("%s: the payload (%s) is not an access token the servers issued", label, fp(tok))
		}
	}

	// The cache entries must hold what they are for.
	cached := 0
	for _, it := range h.items {
		if it.allowed[kindAccess] {
			for _, tok := range issued {
				if bytes.Contains(it.data, []byte(tok)) {
					cached++
					break
				}
			}
		}
	}
	if cached == 0 {
		t.Error("no at-*.json entry ever held an access token: the cache scan proves nothing")
	}

	// ... and refresh state must have been kept (sealed, or in the clear
	// where no keyring is usable), or its allowance was never exercised.
	stored := 0
	for _, it := range h.items {
		if !it.state {
			continue
		}
		if it.sealed {
			stored++
			continue
		}
		for _, rt := range h.rec.Values("refresh_token") {
			if bytes.Contains(it.data, []byte(rt)) {
				stored++
				break
			}
		}
	}
	if stored == 0 {
		t.Error("no st-*.bin entry ever held a refresh token: the cache scan proves nothing about them")
	}

	clientIDs := h.rec.ClientIDs()
	for _, id := range []string{h.z.BasicClient.ID, h.z.PostClient.ID, h.z.DeviceClient.ID, h.z.NativeClient.ID, h.f.Client.ID, h.f.PostClient.ID, ps256Client} {
		if !slices.Contains(clientIDs, id) {
			clientIDs = append(clientIDs, id)
		}
	}
	hits := scanSecrets(h.items, secrets, clientIDs)
	for _, hit := range hits {
		t.Errorf("LEAK: %s", hit)
	}
	t.Logf("scanned %d outputs and file snapshots of %d steps for %d secrets, each in %d forms (%d client ids for Basic): %d hits; %d cache snapshots held access tokens, %d refresh tokens",
		len(h.items), len(h.steps), len(secrets), len(secretForms("a+b/c d<é>", clientIDs)), len(clientIDs), len(hits), cached, stored)
}

// slowIdP is a token endpoint that holds every request until the test
// releases it, so that the test can look at the processes while they
// wait. It issues opaque tokens to anyone and records what it got.
type slowIdP struct {
	*httptest.Server
	arrived chan struct{}
	release chan struct{}

	mu      sync.Mutex
	secrets secretSet
}

func startSlowIdP(t *testing.T) *slowIdP {
	t.Helper()
	s := &slowIdP{arrived: make(chan struct{}, 1), release: make(chan struct{}), secrets: secretSet{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *slowIdP) serve(w http.ResponseWriter, r *http.Request) {
	if r.ParseForm() != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	for name, kind := range recordedKinds {
		s.secrets.add(kind, r.PostForm[name]...)
	}
	s.mu.Unlock()
	select {
	case s.arrived <- struct{}{}:
	default:
	}
	select {
	case <-s.release:
	case <-r.Context().Done():
		return
	}
	at, rt := "slow-at-"+randomHex(), "slow-rt-"+randomHex()
	s.mu.Lock()
	s.secrets.add(kindAccess, at)
	s.secrets.add(kindRefresh, rt)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": 3600, "refresh_token": rt, "scope": "api offline_access"})
}

// randomHex is 32 random hex digits.
func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand documents a panic instead)
	return hex.EncodeToString(b[:])
}

// procInfo is one process of keyfob's tree as /proc showed it.
type procInfo struct {
	pid              int
	exe              string
	cmdline, environ []byte
}

// processTree reads /proc for root and every descendant. Children come
// from /proc/PID/task/TID/children where the kernel has it, else from the
// parent pids in /proc/*/stat.
func processTree(t *testing.T, root int) []procInfo {
	t.Helper()
	parents := map[int][]int{} // ppid → pids
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // gone
		}
		// pid (comm) state ppid …; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(stat, ')')
		fields := strings.Fields(string(stat[i+1:]))
		if i < 0 || len(fields) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(fields[1])
		parents[ppid] = append(parents[ppid], pid)
	}
	children := func(pid int) []int {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
		if len(tasks) == 0 {
			return parents[pid]
		}
		var out []int
		for _, f := range tasks {
			b, _ := os.ReadFile(f)
			for _, s := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(s); err == nil {
					out = append(out, c)
				}
			}
		}
		return out
	}
	var out []procInfo
	for queue := []int{root}; len(queue) > 0; queue = queue[1:] {
		pid := queue[0]
		dir := fmt.Sprintf("/proc/%d", pid)
		cmdline, err := os.ReadFile(dir + "/cmdline")
		if err != nil {
			t.Fatalf("reading %s/cmdline: %v", dir, err)
		}
		environ, err := os.ReadFile(dir + "/environ")
		if err != nil {
			t.Fatalf("reading %s/environ: %v", dir, err)
		}
		exe, _ := os.Readlink(dir + "/exe")
		out = append(out, procInfo{pid: pid, exe: exe, cmdline: cmdline, environ: environ})
		queue = append(queue, children(pid)...)
	}
	return out
}

// TestSecretsNeverOnCommandLines holds keyfob's token request at a slow
// endpoint and reads /proc/PID/cmdline of keyfob and of every process it
// started (the plugin): no secret may be there, in any form, nor in the
// plugin's environment (go-plugin SkipHostEnv: the host resolves env: and
// file: references and sends the values over gRPC).
func TestSecretsNeverOnCommandLines(t *testing.T) {
	t.Parallel()
	bin := keyfobBin(t)
	idp := startSlowIdP(t)
	home := t.TempDir()
	secretsDir := t.TempDir()
	secret, password, pfxPassword := "cs-"+randomHex(), "pw-"+randomHex(), randomPassword(t)
	pwFile := filepath.Join(secretsDir, "password")
	if err := os.WriteFile(pwFile, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cert := certFile{format: formatPFX, key: clientKeys[rs256Client]()}.write(t, secretsDir, pfxPassword)
	tokenURL := idp.URL + "/token"
	cfg := harness.WriteConfig(t, home, fmt.Sprintf(`[profiles.slow]
provider = "password"
token_url = %q
client_id = "slow-client"
client_secret = "env:E2E_SLOW_SECRET"
client_auth = "client_secret_post"
username = "slow-user"
password = "env:E2E_SLOW_PASSWORD"
scopes = ["api", "offline_access"]
`, tokenURL))
	s := &interactive{bin: bin, home: home, cfg: cfg}
	vars := env("E2E_SLOW_SECRET", secret, "E2E_SLOW_PASSWORD", password, "E2E_SLOW_PFX_PASSWORD", pfxPassword,
		"KEYFOB_LOG", "trace", "KEYFOB_KEYRING", "auto",
		"KEYFOB_PLUGIN_MODE", "process") // the plugin process is what this test reads

	cases := []struct {
		label string
		args  []string
	}{
		{"profile, password grant", []string{"token", "-p", "slow"}},
		{"profile, refresh token grant", []string{"token", "-p", "slow", "--force-refresh"}},
		{"flags only, env: and file: references", []string{"token", "--provider", "password", "--token-url", tokenURL,
			"--client-id", "slow-client", "--client-secret", "env:E2E_SLOW_SECRET", "--client-auth", "client_secret_post",
			"--username", "slow-user", "--password", "file:" + pwFile, "--scope", "api"}},
		{"kubectl, flags only, PFX with password", []string{"kubectl", "--provider", "client_credentials", "--token-url", tokenURL,
			"--client-id", "slow-cert-client", "--client-certificate", cert, "--client-certificate-password", "env:E2E_SLOW_PFX_PASSWORD",
			"--scope", "api"}},
	}
	type snapshot struct {
		label string
		procs []procInfo
	}
	var snaps []snapshot
	for _, c := range cases {
		p := s.start(t, false, vars, c.args...)
		select {
		case <-idp.arrived:
		case <-time.After(30 * time.Second):
			t.Fatalf("%s: no token request within 30s; keyfob said:\n%s", c.label, p.stderr.String())
		}
		procs := processTree(t, p.cmd.Process.Pid)
		idp.release <- struct{}{}
		if r := p.wait(t); r.code != 0 {
			t.Fatalf("%s:\n%s", c.label, r)
		}
		snaps = append(snaps, snapshot{c.label, procs})
	}

	secrets := secretSet{}
	idp.mu.Lock()
	for v, kinds := range idp.secrets {
		for k := range kinds {
			secrets.add(k, v)
		}
	}
	idp.mu.Unlock()
	for _, want := range []string{secret, password} {
		if secrets[want] == nil {
			t.Errorf("the server never received the secret %s: the check proves nothing", fp(want))
		}
	}
	if len(secrets) < 2*len(cases)+3 {
		t.Errorf("the server received and issued only %d secrets", len(secrets))
	}
	secrets.add(kindClientSecret, secret)
	secrets.add(kindPassword, password)
	secrets.add(kindCertPassword, pfxPassword)
	for _, sn := range snaps {
		var items []scanItem
		plugins := 0
		for i, p := range sn.procs {
			argv := strings.ReplaceAll(string(p.cmdline), "\x00", " ")
			t.Logf("%s: pid %d %s: %s", sn.label, p.pid, filepath.Base(p.exe), argv)
			items = append(items, scanItem{where: fmt.Sprintf("%s: /proc/%d/cmdline (%s)", sn.label, p.pid, filepath.Base(p.exe)), data: p.cmdline})
			if i > 0 {
				// keyfob's own environment holds the secrets we gave it;
				// what it starts must not.
				items = append(items, scanItem{where: fmt.Sprintf("%s: /proc/%d/environ (%s)", sn.label, p.pid, filepath.Base(p.exe)), data: p.environ})
				if strings.HasPrefix(filepath.Base(p.exe), "keyfob") {
					plugins++
				}
			}
		}
		if plugins == 0 {
			t.Errorf("%s: no plugin process under keyfob (pid %d) while its request was held: the check proves nothing", sn.label, sn.procs[0].pid)
		}
		for _, hit := range scanSecrets(items, secrets, []string{"slow-client", "slow-cert-client"}) {
			t.Errorf("LEAK: %s", hit)
		}
	}
}
