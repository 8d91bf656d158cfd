package google

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/plugin/errdefs"
)

// Protocol is keyfob google: the executable-sourced credentials protocol
// as a keyfob command.
type Protocol struct{}

var _ protocol.Protocol = Protocol{}

// Name is the keyfob command.
func (Protocol) Name() string { return "google" }

// Aliases is empty: a credential configuration names a command line.
func (Protocol) Aliases() []string { return nil }

// Help describes keyfob google.
func (Protocol) Help() protocol.Help {
	return protocol.Help{
		Use:   "google",
		Short: "Subject token for Google workload identity federation (executable-sourced credentials)",
		Long: `Answer Google's executable-sourced credentials protocol: the profile's
access token (a JWT; its ID token with use_id_token = true) as the subject
token, in the version-1 JSON on stdout and in GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE.

The profile is -p, else $KEYFOB_PROFILE, else the profile whose hosts match
the audience (//iam.googleapis.com/... read as https://iam.googleapis.com/...),
else default_profile, else environment. Run by an auth library
(GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE=0), keyfob writes nothing to stderr,
never starts a sign-in, and reports failures as success:false with exit
status 0.`,
		Example:        `  "credential_source": {"executable": {"command": "/usr/local/bin/keyfob google -p gcp", "output_file": "/run/user/1000/keyfob-gcp.json"}}`,
		LooseArgs:      true,
		Profile:        protocol.AsToken,
		CommandAliases: []string{"google-exec"},
	}
}

// Serve runs one exchange of the protocol. Run by an auth library,
// failures are in the answer and the exit status is 0; run by hand, they
// also reach stderr and the exit status. The lean front leaves it to the
// engine.
func (Protocol) Serve(ctx context.Context, s protocol.Session, _ []string) error {
	if err := protocol.Full(s); err != nil {
		return err
	}
	req := ReadRequest(s.Getenv)
	if req.Mode == NonInteractive {
		// Nothing may reach stderr (Python merges it into the answer, Go
		// drops it), and sign-in is forbidden, since nobody watches.
		s.Quiet("the Google auth library runs keyfob non-interactively (GOOGLE_EXTERNAL_ACCOUNT_INTERACTIVE=0)")
	}
	if req.Revoke {
		return revoke(s, req)
	}
	resp, err := answer(ctx, s, req)
	if err != nil {
		resp = failure(s, err)
	}
	if werr := writeOutputFile(req.OutputFile, resp); werr != nil {
		err, resp = werr, failure(s, werr)
	}
	if werr := Write(s.Stdout(), resp); werr != nil {
		return werr
	}
	if req.Mode != Standalone {
		return nil
	}
	return err
}

// answer gets the subject token.
func answer(ctx context.Context, s protocol.Session, req Request) (Response, error) {
	p, err := profileFor(s, req)
	if err != nil {
		return Response{}, err
	}
	useID := p.Values["use_id_token"] == "true"
	tokenType, err := req.ResponseTokenType(useID)
	if err != nil {
		return Response{}, errdefs.Configf("%v", err)
	}
	e, err := s.Token(ctx, p, protocol.Want{})
	if err != nil {
		return Response{}, err
	}
	token := e.AccessToken
	if useID {
		if token = e.IDToken; token == "" {
			return Response{}, errdefs.Configf("profile %q has use_id_token = true, but the authorization server sent no ID token (request the openid scope)", p.Name)
		}
	}
	return Success(tokenType, token, cache.HostExpiry(e)), nil
}

// profileFor picks the profile: as keyfob token does, except that a
// profile whose hosts match the audience comes before default_profile.
func profileFor(s protocol.Session, req Request) (*protocol.Profile, error) {
	if s.NamesProfile() || s.Getenv("KEYFOB_PROFILE") != "" || req.AudienceURL() == "" {
		return s.Default("")
	}
	name, err := s.MatchURL(req.AudienceURL())
	if err != nil {
		return nil, err
	}
	return s.Default(name)
}

// revoke answers a sign-out: the subject token in the output file is
// removed; keyfob's own cache is kept (keyfob logout clears it).
func revoke(s protocol.Session, req Request) error {
	if req.OutputFile != "" {
		if err := os.Remove(req.OutputFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Write(s.Stdout(), failure(s, err))
		}
	}
	return WriteRevoked(s.Stdout())
}

// failure turns an error into a failure answer whose code is the server's
// OAuth error code, or else keyfob's kind of failure.
func failure(s protocol.Session, err error) Response {
	return Failure(s.ErrorCode(err), "keyfob: "+protocol.OneLine(err.Error()))
}

// writeOutputFile writes the answer to the output file, atomically and
// readable only by its owner (it holds a token).
func writeOutputFile(path string, resp Response) error {
	if path == "" {
		return nil
	}
	data, err := resp.Marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".keyfob-google-*")
	if err != nil {
		return errdefs.Configf("output file %s: %v", path, err)
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
