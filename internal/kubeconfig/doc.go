// Package kubeconfig writes and rewrites the users entries of kubeconfig
// files for keyfob: a ready entry that runs "keyfob kubectl -p NAME" as
// an exec credential plugin, and the conversion of existing exec entries
// that run Azure/kubelogin or int128/kubelogin into keyfob entries that
// carry the same profile as flags. Everything else in the file — other
// users, clusters, contexts, comments — is left as it is.
package kubeconfig
