package host

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"
	"github.com/keyfob/keyfob/plugin"
)

// Options configures Launch.
type Options struct {
	// Path is the plugin executable. Required.
	Path string
	// Args are extra arguments for the plugin executable.
	Args []string
	// SHA256, when set, pins the executable: Launch refuses to start it
	// unless its SHA-256 (lowercase hex) matches, with a config error.
	SHA256 string
	// Logger receives the host's and the plugin's log lines; nil is silent.
	Logger hclog.Logger
	// EnvAllowList names the environment variables the plugin inherits;
	// nil means DefaultEnvAllowList.
	EnvAllowList []string
	// Env adds NAME=VALUE entries to the plugin's environment.
	Env []string
	// Interaction serves the plugin's requests to reach the user; nil
	// means nobody can be asked.
	Interaction plugin.Interaction
	// AutoMTLS secures the connection with go-plugin's automatic mutual
	// TLS. It defaults to false on Unix, where the plugin's socket lives in
	// a private (0700) directory only this user can reach, and is forced
	// on Windows, where go-plugin uses TCP on loopback.
	AutoMTLS bool
	// StartTimeout bounds the handshake; zero means 30 s.
	StartTimeout time.Duration
}

// Launch starts the plugin and connects to its TokenService. The caller
// must Close the returned Plugin, on every path: a plugin also exits by
// itself when its host dies.
//
// Before starting it, Launch refuses (with a config error) an executable
// that another user could change: one owned by another user than this one
// and root, or writable by group or others, or in such a directory (see
// CheckPlugin). Then it checks Options.SHA256.
func Launch(ctx context.Context, opts Options) (*Plugin, error) {
	if err := CheckPlugin(opts.Path); err != nil {
		return nil, err
	}
	if opts.SHA256 != "" {
		if err := VerifySHA256(opts.Path, opts.SHA256); err != nil {
			return nil, err
		}
	}
	cfg := clientConfig(opts)
	exit := &exitRecord{}
	cfg.RunnerFunc = recordExit(cfg.RunnerFunc, exit)
	cfg.StartTimeout = boundStart(ctx, cfg.StartTimeout)
	client := goplugin.NewClient(cfg)
	p, err := connect(client)
	if err != nil {
		client.Kill()
		return nil, deadlineOr(ctx, opts.Path, err)
	}
	p.path, p.exit = opts.Path, exit
	p.interaction = opts.Interaction
	p.logger = orNull(opts.Logger)
	return p, nil
}

func clientConfig(opts Options) *goplugin.ClientConfig {
	allow := opts.EnvAllowList
	if allow == nil {
		allow = DefaultEnvAllowList
	}
	env := append(pluginEnv(allow, nil), opts.Env...)
	cfg := &goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		VersionedPlugins: map[int]goplugin.PluginSet{plugin.ProtocolVersion: {plugin.PluginKey: &plugin.GRPCPlugin{}}},
		RunnerFunc:       newRunnerFunc(opts.Path, opts.Args, env),
		SkipHostEnv:      true,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		Logger:           newLibLogger(orNull(opts.Logger), opts.Path),
		AutoMTLS:         opts.AutoMTLS || runtime.GOOS == "windows",
		StartTimeout:     startTimeout(opts.StartTimeout),
		Managed:          false,
		UnixSocketConfig: &goplugin.UnixSocketConfig{TempDir: socketRoot(os.TempDir())},
	}
	return cfg
}

// maxSocketBase bounds the directory go-plugin creates its private socket
// directory in: a Unix socket path is limited to about 104–108 bytes, and a
// long $TMPDIR would otherwise fail the handshake with a misleading error.
const maxSocketBase = 50

// socketBase returns tmp, or /tmp when tmp is too long for a socket path.
func socketBase(tmp string) string {
	if runtime.GOOS == "windows" || len(tmp) <= maxSocketBase {
		return tmp
	}
	return "/tmp"
}

func connect(client *goplugin.Client) (*Plugin, error) {
	rpc, err := client.Client()
	if err != nil {
		return nil, startError(err)
	}
	raw, err := rpc.Dispense(plugin.PluginKey)
	if err != nil {
		return nil, fmt.Errorf("plugin has no %q service: %w", plugin.PluginKey, err)
	}
	conn, ok := raw.(*plugin.Conn)
	if !ok {
		return nil, fmt.Errorf("plugin dispensed %T, want *plugin.Conn", raw)
	}
	return &Plugin{client: client, conn: conn, negotiated: client.NegotiatedVersion()}, nil
}

// startTimeout defaults a zero Options.StartTimeout to 30 s; go-plugin's
// own default is a minute.
func startTimeout(d time.Duration) time.Duration {
	if d <= 0 {
		return 30 * time.Second
	}
	return d
}

func orNull(l hclog.Logger) hclog.Logger {
	if l == nil {
		return hclog.NewNullLogger()
	}
	return l
}
