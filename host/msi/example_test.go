package msi_test

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"

	"github.com/keyfob/keyfob/host/msi"
)

// A host serves its tokens to a child process that uses an Azure SDK.
func Example() {
	srv, err := msi.Listen(func(ctx context.Context, req msi.Request) (msi.Token, error) {
		if req.Resource != "https://vault.azure.net" {
			return msi.Token{}, &msi.Error{Status: 400, Code: "invalid_resource", Description: "only Key Vault is served"}
		}
		return msi.Token{AccessToken: "…", ExpiresOn: time.Now().Add(time.Hour)}, nil
	}, msi.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()
	cmd := exec.Command("my-azure-app")
	cmd.Env = append(cmd.Environ(), srv.Env()...) // the secret goes to the environment only
	for _, kv := range srv.Env() {
		name, _, _ := strings.Cut(kv, "=")
		fmt.Println(name)
	}
	// Output:
	// IDENTITY_ENDPOINT
	// IDENTITY_HEADER
	// MSI_ENDPOINT
	// MSI_SECRET
}
