package protocol

// Request is a host tool's request for credentials, as profile selection
// sees it.
type Request struct {
	// Host is the host, with ":port" when the request names one.
	Host string
	// User is the user name the request carries, if any (git's username,
	// from the remote URL's user@).
	User string
	// URL is scheme://[user@]host[:port]/path when the protocol gives more
	// than a host, for URL-prefix patterns; "" otherwise.
	URL string
	// Transport is the protocol's allow-list of URL schemes; nil means
	// HTTPS.
	Transport *Transport
}

// TransportNote is the note refusing to send profile name's token for
// r, or "" when it may be sent (see Transport.Note). A request without a
// URL names only a host, of a protocol that speaks HTTPS alone.
func (r Request) TransportNote(name string) string {
	u := r.URL
	if u == "" {
		u = "https://" + r.Host + "/"
	}
	t := r.Transport
	if t == nil {
		t = &HTTPS
	}
	return t.Note(name, u)
}
