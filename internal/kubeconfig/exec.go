package kubeconfig

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// The client.authentication.k8s.io versions of an exec entry: the
// ExecCredential API the entry asks kubectl to speak (host/kubectl
// answers both; a test keeps the two in step).
const (
	ExecV1      = "client.authentication.k8s.io/v1"
	ExecV1beta1 = "client.authentication.k8s.io/v1beta1"
)

// Exec is a users[].user.exec entry (client-go's ExecConfig as a
// kubeconfig writes it).
type Exec struct {
	// APIVersion is the exec credential API, e.g. ExecV1.
	APIVersion string `yaml:"apiVersion"`
	// Command is the program, found on PATH unless it is a path.
	Command string `yaml:"command"`
	// Args are its arguments.
	Args []string `yaml:"args,omitempty"`
	// Env are variables added to its environment.
	Env []EnvVar `yaml:"env,omitempty"`
	// InteractiveMode is Never, IfAvailable or Always (required for v1).
	InteractiveMode string `yaml:"interactiveMode,omitempty"`
	// ProvideClusterInfo puts the cluster into KUBERNETES_EXEC_INFO.
	ProvideClusterInfo bool `yaml:"provideClusterInfo,omitempty"`
	// InstallHint is shown when Command is missing.
	InstallHint string `yaml:"installHint,omitempty"`
}

// EnvVar is one entry of exec.env.
type EnvVar struct {
	// Name and Value are the variable's.
	Name  string `yaml:"name"`
	Value string `yaml:"value"`
}

// InstallHint is what kubectl shows when the keyfob command is missing.
const InstallHint = "keyfob is not installed; install it with: go install github.com/keyfob/keyfob/cmd/...@latest"

// KeyfobExec is the exec entry that runs command (usually "keyfob") with
// "kubectl" and args for apiVersion (ExecV1 when empty).
// interactiveMode IfAvailable lets a device-code sign-in use the terminal
// when kubectl has one.
func KeyfobExec(command, apiVersion string, args ...string) Exec {
	if apiVersion == "" {
		apiVersion = ExecV1
	}
	return Exec{
		APIVersion: apiVersion, Command: command, Args: append([]string{"kubectl"}, args...),
		InteractiveMode: "IfAvailable", InstallHint: InstallHint,
	}
}

// UsersEntry renders a kubeconfig fragment holding one user:
//
//	users:
//	- name: NAME
//	  user:
//	    exec: ...
//
// It can be pasted under a kubeconfig's users or merged as a file of its
// own (KUBECONFIG=~/.kube/config:keyfob.yaml).
func UsersEntry(name string, e Exec) ([]byte, error) {
	type user struct {
		Exec Exec `yaml:"exec"`
	}
	type namedUser struct {
		Name string `yaml:"name"`
		User user   `yaml:"user"`
	}
	doc := struct {
		Users []namedUser `yaml:"users"`
	}{Users: []namedUser{{Name: name, User: user{Exec: e}}}}
	return encode(doc)
}

// encode marshals v with two-space indentation, as kubectl writes
// kubeconfigs.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	return b.Bytes(), nil
}
