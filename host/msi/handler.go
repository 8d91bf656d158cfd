package msi

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strconv"
)

// ServeHTTP answers one request: the checks of the package doc in order,
// then the TokenFunc.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e := s.refuse(r); e != nil {
		if e.Status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", http.MethodGet)
		}
		writeError(w, e)
		return
	}
	if ok, wait := s.limit.take(); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(wait))
		writeError(w, &Error{Status: http.StatusTooManyRequests, Code: "too_many_requests", Description: "too many requests to this endpoint; retry later"})
		return
	}
	req, err := ParseRequest(r.URL.RawQuery)
	if err == nil {
		err = s.authorize(r, req.APIVersion)
	}
	if err != nil {
		writeError(w, asError(err))
		return
	}
	s.answer(w, r, req)
}

// refuse checks what needs no secret: the path, GET, the Host and no
// Origin. nil means the request may go on.
func (s *Server) refuse(r *http.Request) *Error {
	switch {
	case r.URL.Path != Path:
		return &Error{Status: http.StatusNotFound, Code: "not_found", Description: "the endpoint is " + Path}
	case r.Method != http.MethodGet:
		return &Error{Status: http.StatusMethodNotAllowed, Code: "invalid_request", Description: "only GET is served"}
	case r.Host != s.addr:
		return &Error{Status: http.StatusForbidden, Code: "invalid_host", Description: "the Host header must be " + s.addr}
	case len(r.Header.Values("Origin")) > 0:
		return &Error{Status: http.StatusForbidden, Code: "invalid_request", Description: "requests with an Origin header are refused"}
	}
	return nil
}

// authorize checks the secret in the header version names, in constant
// time.
func (s *Server) authorize(r *http.Request, version string) error {
	name := secretHeader(version)
	got := r.Header.Values(name)
	if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte(s.secret)) != 1 {
		return &Error{Status: http.StatusUnauthorized, Code: "unauthorized", Description: "the " + name + " header is missing or wrong"}
	}
	return nil
}

// answer writes the TokenFunc's token for req, or its error.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, req Request) {
	t, err := s.tokens(r.Context(), req)
	if err == nil && t.AccessToken == "" {
		err = errors.New("the token source answered no token")
	}
	if err != nil {
		writeError(w, asError(err))
		return
	}
	writeJSON(w, http.StatusOK, body(req, t))
}

// asError is err as an *Error: itself, or a 500.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return internalError(err)
}
