package kubectl

import (
	"encoding/json"
	"fmt"
	"strings"
)

// The apiVersions client-go accepts from exec plugins.
const (
	V1      = "client.authentication.k8s.io/v1"
	V1beta1 = "client.authentication.k8s.io/v1beta1"
)

// EnvVar is the variable client-go passes the ExecCredential in.
const EnvVar = "KUBERNETES_EXEC_INFO"

// ExecInfo is what KUBERNETES_EXEC_INFO says.
type ExecInfo struct {
	// APIVersion is the version the answer must use: the input's, or
	// V1beta1 when the variable is unset (Azure/kubelogin does the same).
	APIVersion string
	// Interactive is spec.interactive: nil when not given; false means
	// stdin is not the user's.
	Interactive *bool
	// Cluster is spec.cluster, given with provideClusterInfo.
	Cluster *Cluster
}

// Cluster is spec.cluster.
type Cluster struct {
	// Server is the API server's URL.
	Server string `json:"server"`
	// Config is the cluster's client.authentication.k8s.io/exec
	// extension, raw.
	Config json.RawMessage `json:"config,omitempty"`
}

// execCredentialIn is the part of the input this package reads.
type execCredentialIn struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Spec       struct {
		Interactive *bool    `json:"interactive"`
		Cluster     *Cluster `json:"cluster"`
	} `json:"spec"`
}

// ParseExecInfo parses the value of KUBERNETES_EXEC_INFO; "" (unset)
// gives V1beta1. An apiVersion other than v1 and v1beta1, or a kind other
// than ExecCredential, is an error.
func ParseExecInfo(s string) (*ExecInfo, error) {
	if strings.TrimSpace(s) == "" {
		return &ExecInfo{APIVersion: V1beta1}, nil
	}
	var in execCredentialIn
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("%s: %v", EnvVar, err)
	}
	if in.Kind != "" && in.Kind != "ExecCredential" {
		return nil, fmt.Errorf("%s: kind %q, want ExecCredential", EnvVar, in.Kind)
	}
	switch in.APIVersion {
	case V1, V1beta1:
	case "":
		in.APIVersion = V1beta1
	default:
		return nil, fmt.Errorf("%s: apiVersion %q is not supported (want %s or %s)", EnvVar, in.APIVersion, V1, V1beta1)
	}
	return &ExecInfo{APIVersion: in.APIVersion, Interactive: in.Spec.Interactive, Cluster: in.Spec.Cluster}, nil
}

// ClusterConfig is what keyfob reads from a cluster's
// client.authentication.k8s.io/exec extension:
//
//	extensions:
//	- name: client.authentication.k8s.io/exec
//	  extension:
//	    profile: aks-prod          # the keyfob profile for this cluster
//	    audience: 6dae42f8-4368-4678-94ff-3960e28e3630   # or scopes: [...]
type ClusterConfig struct {
	// Profile names the keyfob profile.
	Profile string `json:"profile"`
	// Audience is the resource the token is for; it requests the scope
	// AUDIENCE/.default (the Microsoft Entra form) unless it already ends
	// in /.default.
	Audience string `json:"audience"`
	// Scopes are scopes to request; they win over Audience.
	Scopes scopeList `json:"scopes"`
}

// ClusterConfig decodes the cluster's exec extension; the zero
// ClusterConfig when there is none. Unknown fields are ignored.
func (i *ExecInfo) ClusterConfig() (ClusterConfig, error) {
	var cc ClusterConfig
	if i.Cluster == nil || len(i.Cluster.Config) == 0 || string(i.Cluster.Config) == "null" {
		return cc, nil
	}
	if err := json.Unmarshal(i.Cluster.Config, &cc); err != nil {
		return ClusterConfig{}, fmt.Errorf("%s: spec.cluster.config: %v", EnvVar, err)
	}
	return cc, nil
}

// RequestedScopes are the scopes the cluster asks for: Scopes, else the
// scope of Audience, else none (the profile's scopes apply).
func (c ClusterConfig) RequestedScopes() []string {
	if len(c.Scopes) > 0 {
		return c.Scopes
	}
	if c.Audience == "" {
		return nil
	}
	if strings.HasSuffix(c.Audience, "/.default") {
		return []string{c.Audience}
	}
	return []string{strings.TrimSuffix(c.Audience, "/") + "/.default"}
}

// scopeList accepts a JSON list of strings or one space-separated string;
// blank entries are dropped.
type scopeList []string

// UnmarshalJSON implements json.Unmarshaler.
func (s *scopeList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*s = strings.Fields(one)
		return nil
	}
	var list []string
	if err := json.Unmarshal(b, &list); err != nil {
		return fmt.Errorf("scopes: want a string or a list of strings")
	}
	*s = nil
	for _, v := range list {
		if v = strings.TrimSpace(v); v != "" {
			*s = append(*s, v)
		}
	}
	return nil
}
