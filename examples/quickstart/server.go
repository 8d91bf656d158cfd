package main

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
)

// demoServer is a small OAuth 2.0 authorization server on loopback, enough
// for the quickstart to show real grants: client_credentials, password and
// refresh_token (with rotation), clients authenticated by HTTP Basic or
// form post. It is a demonstration, not a reference implementation.
type demoServer struct {
	*httptest.Server
	clientID, clientSecret string
	username, password     string

	mu            sync.Mutex
	refreshTokens map[string]bool
	grants        []string // grant types of the successful requests, in order
}

// grantsSeen returns the grant types served so far.
func (s *demoServer) grantsSeen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.grants...)
}

func newDemoServer() *demoServer {
	s := &demoServer{
		clientID: "quickstart-app", clientSecret: randomString(),
		username: "alice@example.com", password: randomString(),
		refreshTokens: map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth2/token", s.token)
	s.Server = httptest.NewServer(mux)
	return s
}

func (s *demoServer) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form")
		return
	}
	if !s.clientOK(r) {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	grant := r.PostForm.Get("grant_type")
	switch grant {
	case "client_credentials":
		s.issue(w, grant, r.PostForm.Get("scope"), false)
	case "password":
		if !equal(r.PostForm.Get("username"), s.username) || !equal(r.PostForm.Get("password"), s.password) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "wrong username or password")
			return
		}
		s.issue(w, grant, r.PostForm.Get("scope"), true)
	case "refresh_token":
		if !s.spend(r.PostForm.Get("refresh_token")) {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "unknown or used refresh token")
			return
		}
		s.issue(w, grant, r.PostForm.Get("scope"), true)
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "")
	}
}

// clientOK checks client_secret_basic or client_secret_post.
func (s *demoServer) clientOK(r *http.Request) bool {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	return equal(id, s.clientID) && equal(secret, s.clientSecret)
}

func (s *demoServer) spend(rt string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ok := s.refreshTokens[rt]
	delete(s.refreshTokens, rt)
	return ok
}

func (s *demoServer) issue(w http.ResponseWriter, grant, scope string, withRefresh bool) {
	resp := map[string]any{"access_token": randomString(), "token_type": "Bearer", "expires_in": 3600, "scope": scope}
	s.mu.Lock()
	s.grants = append(s.grants, grant)
	if withRefresh {
		rt := randomString()
		s.refreshTokens[rt] = true
		resp["refresh_token"] = rt
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, resp)
}

func oauthError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

func randomString() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
