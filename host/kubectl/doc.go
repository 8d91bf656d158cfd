// Package kubectl speaks the client-go exec credential plugin protocol
// that kubectl and every Kubernetes client built on client-go use
// (client.authentication.k8s.io v1 and v1beta1).
//
// client-go runs the plugin named by a kubeconfig's users[].user.exec
// (command and args, no shell) with KUBERNETES_EXEC_INFO in its
// environment: an ExecCredential holding the apiVersion the answer must
// use, whether stdin is the user's (spec.interactive), and with
// provideClusterInfo the cluster (spec.cluster), whose config field
// carries the cluster's client.authentication.k8s.io/exec extension. The
// plugin prints one ExecCredential with status.token and
// status.expirationTimestamp on stdout; client-go keeps the token until
// that instant or until a 401.
//
// The package is pure (it parses and renders), so it is table-, golden-
// and fuzz-tested, and the lean front executable can use it.
package kubectl
