package kubectl

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/internal/golden"
)

func ptr[T any](v T) *T { return &v }

func TestParseExecInfo(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    *ExecInfo
		wantErr string
	}{
		"unset":      {in: "", want: &ExecInfo{APIVersion: V1beta1}},
		"v1 kubectl": {in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`, want: &ExecInfo{APIVersion: V1, Interactive: ptr(false)}},
		"v1beta1 interactive": {in: `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":true}}`,
			want: &ExecInfo{APIVersion: V1beta1, Interactive: ptr(true)}},
		"cluster info (kubectl 1.32, observed)": {
			in:   `{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://127.0.0.1:18766","insecure-skip-tls-verify":true,"config":{"audience":"api://my-app"}},"interactive":false}}`,
			want: &ExecInfo{APIVersion: V1, Interactive: ptr(false), Cluster: &Cluster{Server: "https://127.0.0.1:18766", Config: json.RawMessage(`{"audience":"api://my-app"}`)}},
		},
		"no apiVersion":     {in: `{"spec":{}}`, want: &ExecInfo{APIVersion: V1beta1}},
		"v1alpha1 refused":  {in: `{"apiVersion":"client.authentication.k8s.io/v1alpha1"}`, wantErr: "v1alpha1"},
		"other kind":        {in: `{"kind":"Pod","apiVersion":"v1"}`, wantErr: "ExecCredential"},
		"not json":          {in: `{`, wantErr: EnvVar},
		"interactive wrong": {in: `{"spec":{"interactive":"yes"}}`, wantErr: EnvVar},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseExecInfo(tc.in)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestClusterConfig(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		config     string
		want       ClusterConfig
		wantScopes []string
		wantErr    bool
	}{
		"none":          {config: "", want: ClusterConfig{}},
		"null":          {config: "null", want: ClusterConfig{}},
		"profile":       {config: `{"profile":"aks-prod","other":1}`, want: ClusterConfig{Profile: "aks-prod"}},
		"guid audience": {config: `{"audience":"6dae42f8-4368-4678-94ff-3960e28e3630"}`, want: ClusterConfig{Audience: "6dae42f8-4368-4678-94ff-3960e28e3630"}, wantScopes: []string{"6dae42f8-4368-4678-94ff-3960e28e3630/.default"}},
		"uri audience":  {config: `{"audience":"api://my-app/"}`, want: ClusterConfig{Audience: "api://my-app/"}, wantScopes: []string{"api://my-app/.default"}},
		"scope given":   {config: `{"audience":"x/.default"}`, want: ClusterConfig{Audience: "x/.default"}, wantScopes: []string{"x/.default"}},
		"scopes win":    {config: `{"audience":"x","scopes":["a","b"]}`, want: ClusterConfig{Audience: "x", Scopes: scopeList{"a", "b"}}, wantScopes: []string{"a", "b"}},
		"scopes string": {config: `{"scopes":"openid api"}`, want: ClusterConfig{Scopes: scopeList{"openid", "api"}}, wantScopes: []string{"openid", "api"}},
		"bad scopes":    {config: `{"scopes":3}`, wantErr: true},
		"not an object": {config: `"aks"`, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			info := &ExecInfo{APIVersion: V1, Cluster: &Cluster{Server: "https://k", Config: json.RawMessage(tc.config)}}
			got, err := info.ClusterConfig()
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.wantScopes, got.RequestedScopes()); diff != "" {
				t.Errorf("RequestedScopes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNoClusterInfo(t *testing.T) {
	t.Parallel()
	cc, err := (&ExecInfo{APIVersion: V1}).ClusterConfig()
	if err != nil || cc.Profile != "" || cc.RequestedScopes() != nil {
		t.Errorf("ClusterConfig() = %+v, %v; want zero", cc, err)
	}
}

var expiry = time.Date(2026, 11, 22, 10, 55, 0, 500_000_000, time.FixedZone("CET", 3600))

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		version string
		expiry  time.Time
	}{
		"v1":           {V1, expiry},
		"v1beta1":      {V1beta1, expiry},
		"v1_no_expiry": {V1, time.Time{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := Write(&b, tc.version, "eyJ0eXAi.tok", tc.expiry); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, name, b.Bytes())
		})
	}
}

func TestWriteRefusesEmptyToken(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := Write(&b, V1, "", expiry); err == nil || b.Len() != 0 {
		t.Errorf("Write with no token: err = %v, output %q", err, b.String())
	}
}

// FuzzParseExecInfo checks that any KUBERNETES_EXEC_INFO parses or fails
// cleanly, and that what parses names a supported version.
func FuzzParseExecInfo(f *testing.F) {
	f.Add(``)
	f.Add(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}`)
	f.Add(`{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"cluster":{"server":"https://k","config":{"profile":"p","scopes":"a b"}},"interactive":true}}`)
	f.Add(`{"spec":{"cluster":{"config":null}}}`)
	f.Fuzz(func(t *testing.T, in string) {
		info, err := ParseExecInfo(in)
		if err != nil {
			return
		}
		if info.APIVersion != V1 && info.APIVersion != V1beta1 {
			t.Fatalf("apiVersion %q accepted", info.APIVersion)
		}
		cc, err := info.ClusterConfig()
		if err == nil {
			for _, s := range cc.RequestedScopes() {
				if s == "" {
					t.Fatal("empty scope")
				}
			}
		}
	})
}
