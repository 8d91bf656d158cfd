package msi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Token is what a TokenFunc answers.
type Token struct {
	// AccessToken is the token. It must not be empty.
	AccessToken string
	// TokenType is the token's type; "" means "Bearer".
	TokenType string
	// ExpiresOn is when the client must stop using the token (the SDKs
	// refresh ahead of it).
	ExpiresOn time.Time
	// ClientID is the client the token was issued to, for 2019-08-01's
	// client_id field; "" leaves it out.
	ClientID string
}

// TokenFunc gets the token for one request. It is called concurrently,
// once per request that passed the server's checks, with the request's
// context. An *Error it returns chooses the answer's status and body.
type TokenFunc func(ctx context.Context, req Request) (Token, error)

// expires2017 is how 2017-09-01 writes expires_on, always in UTC: the
// form App Service documents ("09/14/2017 00:00:00 +00:00") and the SDKs
// of that version parse (azure-identity's _parse_app_service_expires_on,
// @azure/identity's appServiceMsi2017 expiresOnParser).
const expires2017 = "01/02/2006 15:04:05 +00:00"

// body is a token response in the fields of req's version: 2019-08-01
// has expires_on as a string of Unix seconds and client_id; 2017-09-01
// has expires_on as expires2017.
func body(req Request, t Token) map[string]string {
	typ := t.TokenType
	if typ == "" {
		typ = "Bearer"
	}
	b := map[string]string{"access_token": t.AccessToken, "token_type": typ, "resource": req.Resource}
	if req.APIVersion == APIVersion2017 {
		b["expires_on"] = t.ExpiresOn.UTC().Format(expires2017)
		return b
	}
	b["expires_on"] = strconv.FormatInt(t.ExpiresOn.Unix(), 10)
	if t.ClientID != "" {
		b["client_id"] = t.ClientID
	}
	return b
}

// writeJSON writes v with status, never cached.
func writeJSON(w http.ResponseWriter, status int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client went away: nothing to do
}

// writeError writes e as its status and JSON body.
func writeError(w http.ResponseWriter, e *Error) {
	writeJSON(w, e.Status, map[string]string{"error": e.Code, "error_description": e.Description})
}
