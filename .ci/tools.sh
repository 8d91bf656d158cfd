#!/usr/bin/env bash
# Installs the pinned code-generation and lint tools into $KEYFOB_TOOLS
# (default ~/.cache/keyfob-tools), building each once per machine.
set -euo pipefail
TOOLS="${KEYFOB_TOOLS:-$HOME/.cache/keyfob-tools}"
mkdir -p "$TOOLS"
BUF_VERSION=v1.75.0
PROTOC_GEN_GO_VERSION=v1.36.12
PROTOC_GEN_GO_GRPC_VERSION=v1.6.0
STATICCHECK_VERSION=v0.8.2
GOVULNCHECK_VERSION=v1.1.4

install() { # name module@version
  local stamp="$TOOLS/.$1-${2##*@}"
  if [[ -x "$TOOLS/$1" && -e "$stamp" ]]; then return; fi
  echo "tools: building $2" >&2
  GOBIN="$TOOLS" GOFLAGS=-mod=mod go install "$2"
  touch "$stamp"
}
install buf github.com/bufbuild/buf/cmd/buf@$BUF_VERSION
install protoc-gen-go google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION
install protoc-gen-go-grpc google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION
install staticcheck honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION
# govulncheck v1.9.0 needs a golang.org/x/telemetry version the module proxy
# refuses here; v1.1.4 builds.
install govulncheck golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION
echo "$TOOLS"
