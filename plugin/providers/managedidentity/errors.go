package managedidentity

import "fmt"

// kindError is an error of one of plugin's sentinel kinds whose message
// does not repeat the sentinel's text. cause, when set, stays reachable
// through errors.Is and errors.As (an *plugin.OAuthError, say).
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// failf returns an error of the given kind (plugin.ErrUnavailable, …).
func failf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// wrapKind reclassifies err as kind, keeping its message and chain.
func wrapKind(kind, err error) error {
	return &kindError{kind: kind, msg: err.Error(), cause: err}
}
