package msi

import "net/http"

// Error is an answer other than a token: the HTTP status and the JSON
// body {"error": Code, "error_description": Description}. A TokenFunc
// returns one to choose the status; any other error is answered 500.
type Error struct {
	// Status is the HTTP status, e.g. http.StatusBadRequest.
	Status int
	// Code is a short machine-readable code, e.g. "invalid_request".
	Code string
	// Description is one line for the person reading the SDK's error. It
	// must not hold a secret.
	Description string
}

// Error returns the description.
func (e *Error) Error() string { return e.Code + ": " + e.Description }

// internalError is the Error for a TokenFunc error that is not an *Error.
func internalError(err error) *Error {
	return &Error{Status: http.StatusInternalServerError, Code: "server_error", Description: err.Error()}
}
