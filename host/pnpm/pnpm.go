package pnpm

import (
	"errors"
	"io"
	"strings"
)

// HeaderValue returns the Authorization header value pnpm is to send:
// "Bearer <token>". An empty token, or one holding whitespace, a control
// character or anything outside ASCII (which could change the header, or
// what pnpm keeps of the output), is an error: access tokens are ASCII.
func HeaderValue(token string) (string, error) {
	if token == "" || strings.IndexFunc(token, badRune) >= 0 {
		return "", errors.New("pnpm: the token is empty or holds whitespace, a control character or non-ASCII text")
	}
	return "Bearer " + token, nil
}

// Write writes the helper's answer, "Bearer <token>" and a newline.
func Write(w io.Writer, token string) error {
	v, err := HeaderValue(token)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, v+"\n")
	return err
}

// badRune reports whitespace, control characters and non-ASCII runes.
func badRune(r rune) bool { return r <= ' ' || r >= 0x7f }
