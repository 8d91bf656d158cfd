#!/usr/bin/env bash
# Cross-compiles keyfob for the six release platforms with CGO_ENABLED=0.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for os in linux darwin windows; do
  for arch in amd64 arm64; do
    echo "--- build $os/$arch"
    mkdir -p "$out/$os-$arch"
    CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -o "$out/$os-$arch/" ./cmd/...
  done
done
ls -l "$out"/*
