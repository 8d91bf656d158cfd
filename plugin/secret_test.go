package plugin_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/go-hclog"
	"github.com/keyfob/keyfob/plugin"
)

// secretValue is the value every redaction test hides; it must never
// appear in any output.
const secretValue = "s3cr3t-VALUE-do-not-print"

type withSecret struct {
	Name  string
	Token plugin.Secret
}

type withPointer struct {
	Token *plugin.Secret
}

type withUnexported struct {
	name  string
	token plugin.Secret
}

type nested struct {
	Inner withSecret
	List  []plugin.Secret
	Map   map[string]plugin.Secret
}

func TestSecretFmtRedacts(t *testing.T) {
	t.Parallel()
	s := plugin.NewSecret(secretValue)
	values := map[string]any{
		"secret":                   s,
		"pointer to secret":        &s,
		"struct field":             withSecret{Name: "n", Token: s},
		"pointer to struct":        &withSecret{Name: "n", Token: s},
		"pointer field":            withPointer{Token: &s},
		"unexported struct field":  withUnexported{name: "n", token: s},
		"pointer unexported field": &withUnexported{name: "n", token: s},
		"slice, map and nesting": nested{
			Inner: withSecret{Token: s}, List: []plugin.Secret{s, s}, Map: map[string]plugin.Secret{"k": s},
		},
		"token": plugin.Token{AccessToken: s, IDToken: s, TokenType: "Bearer"},
	}
	verbs := []string{"%v", "%s", "%q", "%#v", "%+v", "%x", "%X", "%d", "%10.3v", "%T %[1]v"}
	for name, v := range values {
		for _, verb := range verbs {
			t.Run(name+" "+verb, func(t *testing.T) {
				t.Parallel()
				got := fmt.Sprintf(verb, v)
				if strings.Contains(got, secretValue) || strings.Contains(got, hex.EncodeToString([]byte(secretValue))) ||
					strings.Contains(strings.ToLower(got), strings.ToLower(hex.EncodeToString([]byte(secretValue)))) {
					t.Errorf("fmt.Sprintf(%q) = %q, shows the secret", verb, got)
				}
			})
		}
	}
}

func TestSecretFmtExact(t *testing.T) {
	t.Parallel()
	s := plugin.NewSecret(secretValue)
	tests := map[string]struct {
		format string
		arg    any
		want   string
	}{
		"v":              {format: "%v", arg: s, want: "[redacted]"},
		"s":              {format: "%s", arg: s, want: "[redacted]"},
		"q":              {format: "%q", arg: s, want: "[redacted]"},
		"hash v":         {format: "%#v", arg: s, want: "[redacted]"},
		"plus v":         {format: "%+v", arg: s, want: "[redacted]"},
		"x":              {format: "%x", arg: s, want: "[redacted]"},
		"Sprint":         {format: "%s", arg: fmt.Sprint(s), want: "[redacted]"},
		"Stringer":       {format: "%s", arg: s.String(), want: "[redacted]"},
		"GoStringer":     {format: "%s", arg: s.GoString(), want: "[redacted]"},
		"struct plus v":  {format: "%+v", arg: withSecret{Name: "n", Token: s}, want: "{Name:n Token:[redacted]}"},
		"zero secret v":  {format: "%v", arg: plugin.Secret{}, want: "[redacted]"},
		"zero in struct": {format: "%v", arg: withSecret{}, want: "{ [redacted]}"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, fmt.Sprintf(tc.format, tc.arg)); diff != "" {
				t.Errorf("Sprintf(%q) (-want +got):\n%s", tc.format, diff)
			}
		})
	}
}

func TestSecretJSONRedacts(t *testing.T) {
	t.Parallel()
	s := plugin.NewSecret(secretValue)
	tests := map[string]struct {
		in   any
		want string
	}{
		"secret":        {in: s, want: `"[redacted]"`},
		"struct field":  {in: withSecret{Name: "n", Token: s}, want: `{"Name":"n","Token":"[redacted]"}`},
		"pointer field": {in: withPointer{Token: &s}, want: `{"Token":"[redacted]"}`},
		"map value":     {in: map[string]plugin.Secret{"k": s}, want: `{"k":"[redacted]"}`},
		"slice":         {in: []plugin.Secret{s}, want: `["[redacted]"]`},
		"token":         {in: plugin.Token{AccessToken: s}, want: `"AccessToken":"[redacted]"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(tc.in)
			if err != nil {
				t.Fatalf("json.Marshal: %v", err)
			}
			if strings.Contains(string(b), secretValue) {
				t.Errorf("json.Marshal = %s, shows the secret", b)
			}
			if !strings.Contains(string(b), tc.want) {
				t.Errorf("json.Marshal = %s, want it to contain %s", b, tc.want)
			}
		})
	}
}

func TestSecretLogsRedact(t *testing.T) {
	t.Parallel()
	s := plugin.NewSecret(secretValue)
	loggers := map[string]func(w *bytes.Buffer, v any){
		"slog text": func(w *bytes.Buffer, v any) { slog.New(slog.NewTextHandler(w, nil)).Info("msg", "v", v) },
		"slog json": func(w *bytes.Buffer, v any) { slog.New(slog.NewJSONHandler(w, nil)).Info("msg", "v", v) },
		"slog attr": func(w *bytes.Buffer, v any) { slog.New(slog.NewTextHandler(w, nil)).Info("msg", slog.Any("v", v)) },
		"hclog text": func(w *bytes.Buffer, v any) {
			hclog.New(&hclog.LoggerOptions{Output: w, Level: hclog.Trace}).Info("msg", "v", v)
		},
		"hclog json": func(w *bytes.Buffer, v any) {
			hclog.New(&hclog.LoggerOptions{Output: w, Level: hclog.Trace, JSONFormat: true}).Info("msg", "v", v)
		},
		"plugin logger": func(w *bytes.Buffer, v any) { plugin.NewPluginLogger(w, "trace").Info("msg", "v", v) },
	}
	values := map[string]any{
		"secret":          s,
		"pointer":         &s,
		"struct":          withSecret{Name: "n", Token: s},
		"unexported":      withUnexported{name: "n", token: s},
		"token":           &plugin.Token{AccessToken: s},
		"slice of secret": []plugin.Secret{s},
	}
	for lname, logf := range loggers {
		for vname, v := range values {
			t.Run(lname+" "+vname, func(t *testing.T) {
				t.Parallel()
				var buf bytes.Buffer
				logf(&buf, v)
				if buf.Len() == 0 {
					t.Fatal("logger wrote nothing")
				}
				if strings.Contains(buf.String(), secretValue) {
					t.Errorf("log line shows the secret: %s", buf.String())
				}
				if !strings.Contains(buf.String(), "redacted") && vname != "unexported" {
					t.Errorf("log line = %s, want [redacted] in it", buf.String())
				}
			})
		}
	}
}

func TestSecretRevealAndZero(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		s          plugin.Secret
		wantReveal string
		wantZero   bool
	}{
		"zero value":   {s: plugin.Secret{}, wantReveal: "", wantZero: true},
		"empty string": {s: plugin.NewSecret(""), wantReveal: "", wantZero: true},
		"value":        {s: plugin.NewSecret("v"), wantReveal: "v", wantZero: false},
		"space":        {s: plugin.NewSecret(" "), wantReveal: " ", wantZero: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			type result struct {
				Reveal string
				IsZero bool
			}
			want := result{Reveal: tc.wantReveal, IsZero: tc.wantZero}
			got := result{Reveal: tc.s.Reveal(), IsZero: tc.s.IsZero()}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSecretFingerprint(t *testing.T) {
	t.Parallel()
	sixHex := regexp.MustCompile(`^[0-9a-f]{6}$`)
	tests := map[string]struct {
		value string
		want  string
	}{
		"abc":    {value: "abc", want: "ba7816"}, // sha256("abc") = ba7816bf...
		"empty":  {value: "", want: ""},
		"secret": {value: secretValue, want: sha6(secretValue)},
		"jwt":    {value: "eyJhbGciOiJSUzI1NiJ9.e30.sig", want: sha6("eyJhbGciOiJSUzI1NiJ9.e30.sig")},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := plugin.NewSecret(tc.value).Fingerprint()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Fingerprint (-want +got):\n%s", diff)
			}
			if again := plugin.NewSecret(tc.value).Fingerprint(); again != got {
				t.Errorf("Fingerprint not stable: %q then %q", got, again)
			}
			if tc.value != "" && !sixHex.MatchString(got) {
				t.Errorf("Fingerprint = %q, want 6 lowercase hex characters", got)
			}
			if tc.value != "" && strings.Contains(tc.value, got) {
				t.Errorf("Fingerprint %q is part of the value", got)
			}
		})
	}
	if plugin.NewSecret("a").Fingerprint() == plugin.NewSecret("b").Fingerprint() {
		t.Error("different values have the same fingerprint")
	}
}

func sha6(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:6]
}

func TestSecretTextMarshal(t *testing.T) {
	t.Parallel()
	b, err := plugin.NewSecret(secretValue).MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("[redacted]", string(b)); diff != "" {
		t.Errorf("MarshalText (-want +got):\n%s", diff)
	}
	// A Secret used as a map key goes through MarshalText.
	out, err := json.Marshal(map[plugin.Secret]int{plugin.NewSecret(secretValue): 1})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(`{"[redacted]":1}`, string(out)); diff != "" {
		t.Errorf("json map key (-want +got):\n%s", diff)
	}
}
