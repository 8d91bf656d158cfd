package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/keyfob/keyfob/host"
	"github.com/spf13/cobra"
)

func newTokenCmd(env *Env) *cobra.Command {
	var c commonFlags
	var output string
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Print an access token for a profile",
		Example: `  keyfob token -p graph
  keyfob token -p graph -o header | curl -H @- https://graph.microsoft.com/v1.0/me
  keyfob token --provider client_credentials --token-url https://idp.example.com/token \
      --client-id app --client-secret env:APP_SECRET --scope api`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			write, err := tokenWriter(output)
			if err != nil {
				return err
			}
			p, err := env.selectProfile(&c, cmd.Flags())
			if err != nil {
				return err
			}
			issued := env.Now()
			tok, err := env.getToken(cmd.Context(), &c, p)
			if err != nil {
				return err
			}
			return write(env.Stdout, tok, issued)
		},
	}
	c.register(cmd.Flags())
	cmd.Flags().StringVarP(&output, "output", "o", "raw", "output format: raw, header or json")
	return cmd
}

type tokenWriteFunc func(w io.Writer, t *host.Token, issued time.Time) error

// tokenWriter returns the writer of an output format.
func tokenWriter(format string) (tokenWriteFunc, error) {
	switch format {
	case "raw", "":
		return writeRaw, nil
	case "header":
		return writeHeader, nil
	case "json":
		return writeJSON, nil
	}
	return nil, &usageError{fmt.Errorf("unknown output format %q (want raw, header or json)", format)}
}

func writeRaw(w io.Writer, t *host.Token, _ time.Time) error {
	_, err := fmt.Fprintln(w, t.AccessToken.Reveal())
	return err
}

func writeHeader(w io.Writer, t *host.Token, _ time.Time) error {
	_, err := fmt.Fprintf(w, "Authorization: %s %s\n", tokenType(t), t.AccessToken.Reveal())
	return err
}

// tokenJSON is the -o json document.
type tokenJSON struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresAt   string `json:"expires_at,omitempty"`
	Scope       string `json:"scope,omitempty"`
}

func writeJSON(w io.Writer, t *host.Token, issued time.Time) error {
	doc := tokenJSON{AccessToken: t.AccessToken.Reveal(), TokenType: tokenType(t), Scope: t.Scope}
	if exp := hostExpiry(t.ExpiresAt, issued); !exp.IsZero() {
		doc.ExpiresAt = exp.UTC().Format(time.RFC3339)
	}
	enc := json.NewEncoder(w)
	return enc.Encode(doc)
}

// tokenType is the token's type, "Bearer" when the server gave none.
func tokenType(t *host.Token) string {
	if t.TokenType == "" {
		return "Bearer"
	}
	return t.TokenType
}
