package plugin_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
)

func TestConfigList(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value   *string // nil: key absent
		want    []string
		wantErr string
	}{
		"absent":                 {value: nil, want: nil},
		"empty":                  {value: ptr(""), want: nil},
		"blank":                  {value: ptr("   "), want: nil},
		"json array":             {value: ptr(`["openid","https://graph.microsoft.com/.default"]`), want: []string{"openid", "https://graph.microsoft.com/.default"}},
		"json array with spaces": {value: ptr(`  ["a b", "c,d"]  `), want: []string{"a b", "c,d"}},
		"empty json array":       {value: ptr(`[]`), want: []string{}},
		"single string":          {value: ptr("openid"), want: []string{"openid"}},
		"space separated":        {value: ptr("openid profile  email"), want: []string{"openid", "profile", "email"}},
		"comma separated":        {value: ptr("openid,profile,email"), want: []string{"openid", "profile", "email"}},
		"comma and space":        {value: ptr(" openid, profile ,,email, "), want: []string{"openid", "profile", "email"}},
		"json numbers":           {value: ptr(`[1, 2]`), wantErr: "key scopes: not a list of strings: json: cannot unmarshal number into Go value of type string"},
		"broken json":            {value: ptr(`["a",`), wantErr: "key scopes: not a list of strings: unexpected end of JSON input"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := plugin.Config{}
			if tc.value != nil {
				cfg["scopes"] = *tc.value
			}
			got, err := cfg.List("scopes")
			checkErr(t, err, tc.wantErr, plugin.KindConfig)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigNilIsEmpty(t *testing.T) {
	t.Parallel()
	var cfg plugin.Config
	list, err := cfg.List("k")
	s, serr := cfg.Secret("k")
	type result struct {
		String    string
		Has       bool
		List      []string
		ListErr   error
		Secret    string
		SecretErr error
		Require   string
	}
	got := result{
		String: cfg.String("k"), Has: cfg.Has("k"), List: list, ListErr: err,
		Secret: s.Reveal(), SecretErr: serr, Require: errString(cfg.Require("k")),
	}
	want := result{Require: "key k is required"}
	if diff := cmp.Diff(want, got, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
		t.Errorf("nil Config (-want +got):\n%s", diff)
	}
}

// TestConfigSecret sets variables for its subtests, so it is not parallel
// itself; its subtests are.
func TestConfigSecret(t *testing.T) {
	t.Setenv("KEYFOB_PLUGIN_TEST_SECRET", "from-env")
	t.Setenv("KEYFOB_PLUGIN_TEST_EMPTY", "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	plain := write("plain", "file-secret")
	newline := write("newline", "file-secret\n")
	twoNewlines := write("two", "file-secret\n\n")
	crlf := write("crlf", "file-secret\r\n")
	spaces := write("spaces", "  padded  \n")
	empty := write("empty", "")
	if err := os.WriteFile(filepath.Join(home, "home-secret"), []byte("from-home\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing")

	tests := map[string]struct {
		value   *string
		want    string
		wantErr string
	}{
		"absent":                     {value: nil, want: ""},
		"empty":                      {value: ptr(""), want: ""},
		"literal":                    {value: ptr("literal-secret"), want: "literal-secret"},
		"literal with colon":         {value: ptr("x:env:y"), want: "x:env:y"},
		"env":                        {value: ptr("env:KEYFOB_PLUGIN_TEST_SECRET"), want: "from-env"},
		"env unset":                  {value: ptr("env:KEYFOB_PLUGIN_TEST_UNSET"), wantErr: "key client_secret: environment variable KEYFOB_PLUGIN_TEST_UNSET is not set"},
		"env empty":                  {value: ptr("env:KEYFOB_PLUGIN_TEST_EMPTY"), wantErr: "key client_secret: environment variable KEYFOB_PLUGIN_TEST_EMPTY is not set"},
		"file":                       {value: ptr("file:" + plain), want: "file-secret"},
		"file newline":               {value: ptr("file:" + newline), want: "file-secret"},
		"file two newlines":          {value: ptr("file:" + twoNewlines), want: "file-secret\n"},
		"file crlf":                  {value: ptr("file:" + crlf), want: "file-secret"},
		"file keeps spaces":          {value: ptr("file:" + spaces), want: "  padded  "},
		"file empty":                 {value: ptr("file:" + empty), want: ""},
		"file in home":               {value: ptr("file:~/home-secret"), want: "from-home"},
		"file missing":               {value: ptr("file:" + missing), wantErr: "key client_secret: secret file " + missing + ": no such file or directory"},
		"file is not a regular file": {value: ptr("file:" + dir), wantErr: "key client_secret: secret file " + dir + ": is not a regular file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := plugin.Config{"client_id": "app"}
			if tc.value != nil {
				cfg["client_secret"] = *tc.value
			}
			got, err := cfg.Secret("client_secret")
			checkErr(t, err, tc.wantErr, plugin.KindConfig)
			if err != nil && strings.Contains(err.Error(), "file-secret") {
				t.Errorf("error %q shows a secret file's content", err)
			}
			if diff := cmp.Diff(tc.want, got.Reveal()); diff != "" {
				t.Errorf("Secret (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConfigRequire(t *testing.T) {
	t.Parallel()
	cfg := plugin.Config{"a": "1", "b": "2", "empty": ""}
	tests := map[string]struct {
		keys    []string
		wantErr string
	}{
		"none":          {keys: nil},
		"all present":   {keys: []string{"a", "b"}},
		"first missing": {keys: []string{"a", "x", "y"}, wantErr: "key x is required"},
		"empty value":   {keys: []string{"empty"}, wantErr: "key empty is required"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			checkErr(t, cfg.Require(tc.keys...), tc.wantErr, plugin.KindConfig)
		})
	}
}

func TestConfigStringHas(t *testing.T) {
	t.Parallel()
	cfg := plugin.Config{"a": "1", "empty": "", "ref": "env:X"}
	tests := map[string]struct {
		key        string
		wantString string
		wantHas    bool
	}{
		"set":       {key: "a", wantString: "1", wantHas: true},
		"empty":     {key: "empty", wantString: "", wantHas: false},
		"absent":    {key: "nope", wantString: "", wantHas: false},
		"reference": {key: "ref", wantString: "env:X", wantHas: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := []any{cfg.String(tc.key), cfg.Has(tc.key)}
			if diff := cmp.Diff([]any{tc.wantString, tc.wantHas}, got); diff != "" {
				t.Errorf("[String, Has] (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsReference(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want bool
	}{
		"env":          {in: "env:X", want: true},
		"file":         {in: "file:/x", want: true},
		"empty env":    {in: "env:", want: true},
		"literal":      {in: "secret", want: false},
		"upper":        {in: "ENV:X", want: false},
		"inside":       {in: "x env:X", want: false},
		"empty string": {in: "", want: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := plugin.IsReference(tc.in); got != tc.want {
				t.Errorf("IsReference(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestExpandHome(t *testing.T) {
	t.Parallel()
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home directory")
	}
	tests := map[string]struct {
		in   string
		want string
	}{
		"tilde":       {in: "~", want: home},
		"tilde slash": {in: "~/a/b", want: filepath.Join(home, "a/b")},
		"other user":  {in: "~bob/x", want: "~bob/x"},
		"absolute":    {in: "/etc/x", want: "/etc/x"},
		"relative":    {in: "a/~/b", want: "a/~/b"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, plugin.ExpandHome(tc.in)); diff != "" {
				t.Errorf("ExpandHome(%q) (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkErr fails t unless err's text is wantErr ("" for no error) and,
// when an error is wanted, its kind is wantKind.
func checkErr(t *testing.T, err error, wantErr string, wantKind plugin.Kind) {
	t.Helper()
	if diff := cmp.Diff(wantErr, errString(err)); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if err != nil && wantErr != "" {
		if got := plugin.KindOf(err); got != wantKind {
			t.Errorf("KindOf(%v) = %v, want %v", err, got, wantKind)
		}
		if wantKind == plugin.KindConfig && !errors.Is(err, plugin.ErrConfig) {
			t.Errorf("errors.Is(%v, ErrConfig) = false", err)
		}
	}
}
