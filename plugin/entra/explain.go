package entra

import (
	"errors"

	"github.com/keyfob/keyfob/plugin"
)

// Row is one entry of the AADSTS table: what an Entra error code means to
// the person running keyfob, and the outcome (exit code) it stands for.
type Row struct {
	// Code is the AADSTS number, as in error_codes.
	Code int64
	// Kind is the outcome: KindConfig (exit 2) for a setting keyfob could
	// have caught, KindRefused (3), KindInteraction (4) when only a person
	// signing in can fix it, KindUnavailable (5) for throttling.
	Kind plugin.Kind
	// Hint is one line saying what to do.
	Hint string
}

// Explain returns the hint and kind for an Entra error response, from the
// first of its error_codes that the table knows. Without one it returns
// "" and the error's own kind. It never reads the description: Entra
// documents it as text for people, not for programs.
func Explain(oe *plugin.OAuthError) (hint string, kind plugin.Kind) {
	if oe == nil {
		return "", plugin.KindInternal
	}
	for _, code := range oe.ErrorCodes {
		if r, ok := byCode[code]; ok {
			return r.Hint, r.Kind
		}
	}
	return "", oe.Kind()
}

// Rows returns a copy of the AADSTS table, in its documented order.
func Rows() []Row { return append([]Row(nil), rows...) }

// Wrap adds Explain's hint to an error that carries an Entra error
// response, and reclassifies it to the row's kind. Any other error, or
// one the table does not know, is returned as is. The result's message is
// the original one-line message (trace and correlation ids included)
// followed by "; hint: …", so the hint crosses the plugin boundary in the
// error's text; errors.As still finds the *plugin.OAuthError.
func Wrap(err error) error {
	var oe *plugin.OAuthError
	var done *hintError
	if err == nil || !errors.As(err, &oe) || errors.As(err, &done) {
		return err
	}
	hint, kind := Explain(oe)
	if hint == "" {
		return err
	}
	return &hintError{err: err, hint: hint, kind: kind}
}

// hintError is an error with Explain's hint and kind.
type hintError struct {
	err  error
	hint string
	kind plugin.Kind
}

func (e *hintError) Error() string { return e.err.Error() + "; hint: " + e.hint }

// Unwrap exposes the kind's sentinel (which plugin.KindOf prefers to the
// OAuth error's own kind) and the original error.
func (e *hintError) Unwrap() []error {
	if s := sentinel(e.kind); s != nil {
		return []error{s, e.err}
	}
	return []error{e.err}
}

func sentinel(k plugin.Kind) error {
	switch k {
	case plugin.KindConfig:
		return plugin.ErrConfig
	case plugin.KindRefused:
		return plugin.ErrRefused
	case plugin.KindInteraction:
		return plugin.ErrInteractionRequired
	case plugin.KindUnavailable:
		return plugin.ErrUnavailable
	}
	return nil
}

// byCode indexes rows.
var byCode = func() map[int64]Row {
	m := make(map[int64]Row, len(rows))
	for _, r := range rows {
		m[r.Code] = r
	}
	return m
}()
