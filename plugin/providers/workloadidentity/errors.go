package workloadidentity

import "fmt"

// kindError is a message wrapping one of plugin's sentinels without
// repeating the sentinel's text.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// failf returns an error of the given kind (plugin.ErrUnavailable, …).
func failf(kind error, format string, args ...any) error {
	return &kindError{kind: kind, msg: fmt.Sprintf(format, args...)}
}
