package msi

import (
	"fmt"
	"net/http"
	"net/url"
)

// The API versions a Server answers and the header each one carries the
// secret in.
const (
	// APIVersion2019 is App Service's current protocol: IDENTITY_ENDPOINT,
	// IDENTITY_HEADER sent as X-IDENTITY-HEADER.
	APIVersion2019 = "2019-08-01"
	// APIVersion2017 is the older protocol: MSI_ENDPOINT, MSI_SECRET sent
	// as the header "secret".
	APIVersion2017 = "2017-09-01"

	// SecretHeader2019 carries the secret in APIVersion2019.
	SecretHeader2019 = "X-IDENTITY-HEADER"
	// SecretHeader2017 carries the secret in APIVersion2017.
	SecretHeader2017 = "secret"
)

// Request is one token request an SDK sent.
type Request struct {
	// APIVersion is APIVersion2019 or APIVersion2017.
	APIVersion string
	// Resource is the v1-style resource the token is for, e.g.
	// https://vault.azure.net (the SDKs strip a scope's "/.default").
	Resource string
	// ClientID, ObjectID and ResourceID name a user-assigned identity;
	// all are empty when the client asked for the system-assigned one.
	// ClientID comes from client_id (clientid in 2017-09-01), ObjectID
	// from object_id or principal_id, ResourceID from mi_res_id or
	// msi_res_id.
	ClientID, ObjectID, ResourceID string
}

// maxParam bounds each query parameter's length.
const maxParam = 2048

// secretHeader is the header that carries the secret in version v; ""
// for a version the server does not answer.
func secretHeader(v string) string {
	switch v {
	case APIVersion2019:
		return SecretHeader2019
	case APIVersion2017:
		return SecretHeader2017
	}
	return ""
}

// ParseRequest reads a token request's query. It checks what any version
// needs: a known api-version, a resource, parameters of bounded length
// given at most once. The secret is checked by the Server, not here.
func ParseRequest(rawQuery string) (Request, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return Request{}, badRequest("the query does not parse: %v", err)
	}
	for name, vs := range q {
		if len(vs) > 1 {
			return Request{}, badRequest("parameter %.40q is given %d times", name, len(vs))
		}
		if len(vs[0]) > maxParam {
			return Request{}, badRequest("parameter %.40q is longer than %d bytes", name, maxParam)
		}
	}
	r := requestOf(q)
	return r, r.check()
}

// requestOf picks a request's fields out of q.
func requestOf(q url.Values) Request {
	r := Request{APIVersion: q.Get("api-version"), Resource: q.Get("resource"),
		ClientID: first(q, "client_id", "clientid"), ObjectID: first(q, "object_id", "principal_id"),
		ResourceID: first(q, "mi_res_id", "msi_res_id")}
	return r
}

// check reports what r lacks.
func (r Request) check() error {
	switch {
	case secretHeader(r.APIVersion) == "":
		return badRequest("api-version %.40q is not served here: use %s or %s", r.APIVersion, APIVersion2019, APIVersion2017)
	case r.Resource == "":
		return badRequest("parameter resource is required, e.g. resource=https://vault.azure.net")
	}
	return nil
}

// first is the first non-empty value of names in q.
func first(q url.Values, names ...string) string {
	for _, n := range names {
		if v := q.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// badRequest is a 400 invalid_request Error.
func badRequest(format string, args ...any) *Error {
	return &Error{Status: http.StatusBadRequest, Code: "invalid_request", Description: fmt.Sprintf(format, args...)}
}
