package servers

// WithUsers registers more resource owners besides User, for tests with
// several people at one server (OtherUsers).
func WithUsers(users ...User) FositeOption {
	return func(f *Fosite) { f.OtherUsers = append(f.OtherUsers, users...) }
}

// NewUser is a resource owner named username with a random password.
func NewUser(username string) User { return User{Username: username, Password: randomSecret()} }
