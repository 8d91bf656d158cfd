package servers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
)

// RecordedNames are the parameter and JSON member names whose values a
// [Recorder] keeps: every secret a token request or response carries.
// user_code is not among them: it is meant to be shown to the user.
var RecordedNames = []string{
	"access_token", "refresh_token", "id_token",
	"client_secret", "client_assertion", "assertion",
	"code", "code_verifier", "password",
	"device_code", "subject_token", "actor_token",
	"token", // RFC 7009 revocation: the token being revoked
}

// Recorder is HTTP middleware for a test authorization server that records
// the secrets it sees and sends: every value named in RecordedNames in a
// request's query or form body, every such string member of a JSON
// response (at any depth), the query of a redirect's Location (an
// authorization code on its way to the client), a Basic authorization's
// password (as "client_secret") and a Bearer token (as "bearer"). Tests use
// it to learn the secrets of a flow — including the ones only the client
// and the server know, such as a PKCE verifier — and then look for them
// where they must not be. It is safe for concurrent use.
//
// A server takes it with [FositeRecorder] or [ZitadelRecorder]; any other
// handler with [Recorder.Wrap].
type Recorder struct {
	mu      sync.Mutex
	values  map[string][]string // name → distinct values, in order
	clients map[string]bool     // client ids seen (Basic user names, client_id)
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{values: map[string][]string{}, clients: map[string]bool{}}
}

// FositeRecorder makes StartFosite's server record through rec.
func FositeRecorder(rec *Recorder) FositeOption {
	return func(f *Fosite) { f.middleware = append(f.middleware, rec.Wrap) }
}

// ZitadelOption configures StartZitadel.
type ZitadelOption func(*Zitadel)

// ZitadelRecorder makes StartZitadel's server record through rec.
func ZitadelRecorder(rec *Recorder) ZitadelOption {
	return func(z *Zitadel) { z.middleware = append(z.middleware, rec.Wrap) }
}

// applyMiddleware wraps h in mw, the first outermost.
func applyMiddleware(h http.Handler, mw []func(http.Handler) http.Handler) http.Handler {
	for i := len(mw) - 1; i >= 0; i-- {
		h = mw[i](h)
	}
	return h
}

// recordedBody bounds how much of a request or response body is kept.
const recordedBody = 1 << 20

// Wrap returns next with recording around it. The request body is read
// and put back unchanged, and the response passes through unchanged.
func (rec *Recorder) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.recordRequest(r)
		cw := &capturingWriter{ResponseWriter: w}
		next.ServeHTTP(cw, r)
		rec.recordResponse(cw)
	})
}

func (rec *Recorder) recordRequest(r *http.Request) {
	rec.recordValues(r.URL.Query())
	if r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(r.Body, recordedBody))
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		if err == nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if form, perr := url.ParseQuery(string(body)); perr == nil {
				rec.recordValues(form)
				rec.addClient(form.Get("client_id"))
			}
		}
	}
	if user, pass, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: both are form-urlencoded before base64.
		rec.addClient(user)
		rec.add("client_secret", pass)
		if u, err := url.QueryUnescape(user); err == nil {
			rec.addClient(u)
		}
		if p, err := url.QueryUnescape(pass); err == nil {
			rec.add("client_secret", p)
		}
	}
	if b, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		rec.add("bearer", b)
	}
}

func (rec *Recorder) recordResponse(cw *capturingWriter) {
	if loc := cw.Header().Get("Location"); loc != "" {
		if u, err := url.Parse(loc); err == nil {
			rec.recordValues(u.Query())
			if frag, err := url.ParseQuery(u.Fragment); err == nil {
				rec.recordValues(frag)
			}
		}
	}
	var doc any
	if json.Unmarshal(cw.body.Bytes(), &doc) == nil {
		rec.recordJSON(doc)
	}
}

// recordJSON records the string members of v named in RecordedNames.
func (rec *Recorder) recordJSON(v any) {
	switch v := v.(type) {
	case map[string]any:
		for name, member := range v {
			if s, ok := member.(string); ok && slices.Contains(RecordedNames, name) {
				rec.add(name, s)
			} else {
				rec.recordJSON(member)
			}
		}
	case []any:
		for _, member := range v {
			rec.recordJSON(member)
		}
	}
}

func (rec *Recorder) recordValues(v url.Values) {
	for _, name := range RecordedNames {
		for _, s := range v[name] {
			rec.add(name, s)
		}
	}
}

func (rec *Recorder) add(name, value string) {
	if value == "" {
		return
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if !slices.Contains(rec.values[name], value) {
		rec.values[name] = append(rec.values[name], value)
	}
}

func (rec *Recorder) addClient(id string) {
	if id == "" {
		return
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.clients[id] = true
}

// Values returns the distinct values recorded under name, in the order
// first seen.
func (rec *Recorder) Values(name string) []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return slices.Clone(rec.values[name])
}

// All returns every recorded value by name.
func (rec *Recorder) All() map[string][]string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make(map[string][]string, len(rec.values))
	for name, vs := range rec.values {
		out[name] = slices.Clone(vs)
	}
	return out
}

// ClientIDs returns the client ids seen in requests (client_id form values
// and Basic user names), sorted.
func (rec *Recorder) ClientIDs() []string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]string, 0, len(rec.clients))
	for id := range rec.clients {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// capturingWriter passes a response through and keeps a copy of its body.
type capturingWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *capturingWriter) Write(p []byte) (int, error) {
	if room := recordedBody - w.body.Len(); room > 0 {
		w.body.Write(p[:min(len(p), room)])
	}
	return w.ResponseWriter.Write(p)
}

// Flush implements http.Flusher when the underlying writer does.
func (w *capturingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *capturingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
