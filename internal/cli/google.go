package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/google"
	"github.com/keyfob/keyfob/plugin"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

func newGoogleCmd(env *Env) *cobra.Command {
	var c commonFlags
	cmd := &cobra.Command{
		Use:     "google",
		Aliases: []string{"google-exec"},
		Short:   "Subject token for Google workload identity federation (executable-sourced credentials)",
		Long: `Answer Google's executable-sourced credentials protocol: the profile's
access token (a JWT; its ID token with use_id_token = true) as the subject
token, in the version-1 JSON on stdout and in GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE.

The profile is -p, else $KEYFOB_PROFILE, else the profile whose hosts match
the audience (//iam.googleapis.com/... read as https://iam.googleapis.com/...),
else default_profile, else environment. Run by an auth library
(GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE=0), keyfob writes nothing to stderr,
never starts a sign-in, and reports failures as success:false with exit
status 0.`,
		Example: `  "credential_source": {"executable": {"command": "/usr/local/bin/keyfob google -p gcp", "output_file": "/run/user/1000/keyfob-gcp.json"}}`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.google(cmd.Context(), &c, cmd.Flags())
		},
	}
	c.register(cmd.Flags())
	return cmd
}

// google runs one exchange of the protocol. Run by an auth library,
// failures are in the answer and the exit status is 0; run by hand, they
// also reach stderr and the exit status.
func (e *Env) google(ctx context.Context, c *commonFlags, fs *pflag.FlagSet) error {
	req := google.ReadRequest(e.Getenv)
	env := e.googleEnv(c, req)
	if req.Revoke {
		return env.googleRevoke(req)
	}
	resp, err := env.googleAnswer(ctx, c, fs, req)
	if err != nil {
		resp = googleFailure(err)
	}
	if werr := writeGoogleOutputFile(req.OutputFile, resp); werr != nil {
		err, resp = werr, googleFailure(werr)
	}
	if werr := google.Write(e.Stdout, resp); werr != nil {
		return werr
	}
	if req.Mode != google.Standalone {
		return nil
	}
	return err
}

// googleEnv prepares a non-interactive run by an auth library: nothing may
// reach stderr (Python merges it into the answer, Go drops it), stdin is
// not the user's and sign-in is forbidden, since nobody watches.
func (e *Env) googleEnv(c *commonFlags, req google.Request) *Env {
	if req.Mode != google.NonInteractive {
		return e
	}
	quiet := *e
	quiet.Stderr = io.Discard
	c.interact.stdinNotUser = true
	c.interact.forbid = "the Google auth library runs keyfob non-interactively (GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE=0)"
	return &quiet
}

// googleAnswer gets the subject token.
func (e *Env) googleAnswer(ctx context.Context, c *commonFlags, fs *pflag.FlagSet, req google.Request) (google.Response, error) {
	p, err := e.googleProfile(c, fs, req)
	if err != nil {
		return google.Response{}, err
	}
	useID := p.Values["use_id_token"] == "true"
	tokenType, err := req.ResponseTokenType(useID)
	if err != nil {
		return google.Response{}, plugin.Configf("%v", err)
	}
	entry, err := e.getCachedToken(ctx, c, p)
	if err != nil {
		return google.Response{}, err
	}
	token := entry.AccessToken
	if useID {
		if token = entry.IDToken; token == "" {
			return google.Response{}, plugin.Configf("profile %q has use_id_token = true, but the authorization server sent no ID token (request the openid scope)", p.Name)
		}
	}
	return google.Success(tokenType, token, host.HostExpiry(entry)), nil
}

// googleProfile picks the profile: as keyfob token does, except that a
// profile whose hosts match the audience comes before default_profile.
func (e *Env) googleProfile(c *commonFlags, fs *pflag.FlagSet, req google.Request) (*profile, error) {
	if namesProfile(c, fs) || e.Getenv("KEYFOB_PROFILE") != "" || req.AudienceURL() == "" {
		return e.selectProfile(c, fs)
	}
	f, err := e.readConfig()
	if err != nil {
		return nil, err
	}
	if name, ok := f.MatchHost("", "", "", req.AudienceURL()); ok {
		c.profile = name
	}
	return e.selectProfile(c, fs)
}

// googleRevoke answers a sign-out: the subject token in the output file is
// removed; keyfob's own cache is kept (keyfob logout clears it).
func (e *Env) googleRevoke(req google.Request) error {
	if req.OutputFile != "" {
		if err := os.Remove(req.OutputFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return google.Write(e.Stdout, googleFailure(err))
		}
	}
	return google.WriteRevoked(e.Stdout)
}

// googleFailure turns an error into a failure answer whose code is the
// server's OAuth error code, or else keyfob's kind of failure (config,
// refused, interaction_required, unavailable, internal).
func googleFailure(err error) google.Response {
	code := plugin.KindOf(err).String()
	var ue *usageError
	if errors.As(err, &ue) {
		code = plugin.KindConfig.String()
	}
	var oe *plugin.OAuthError
	if errors.As(err, &oe) && oe.Code != "" {
		code = oe.Code
	}
	return google.Failure(code, "keyfob: "+oneLine(err.Error()))
}

// writeGoogleOutputFile writes the answer to the output file, atomically
// and readable only by its owner (it holds a token).
func writeGoogleOutputFile(path string, resp google.Response) error {
	if path == "" {
		return nil
	}
	data, err := resp.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keyfob-google-*")
	if err != nil {
		return plugin.Configf("output file %s: %v", path, err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename, a no-op
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return fmt.Errorf("output file %s: %w", path, err)
	}
	return nil
}
