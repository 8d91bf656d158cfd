#!/usr/bin/env bash
# buf lint, buf breaking against the previous commit, and a check that
# regenerating the committed code changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="$(bash .ci/tools.sh)"
export PATH="$TOOLS:$PATH"

echo "--- buf lint"
buf lint

echo "--- buf breaking"
if git rev-parse -q --verify HEAD~1 >/dev/null && git cat-file -e HEAD~1:proto/keyfob/v1 2>/dev/null; then
  buf breaking --against ".git#ref=HEAD~1"
else
  echo "buf breaking: no earlier commit with proto/keyfob/v1; nothing to compare"
fi

echo "--- generated code is up to date"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cp -r proto "$tmp/proto.before"
buf generate
if ! diff -r "$tmp/proto.before" proto; then
  echo "generated code is stale: run 'buf generate' and commit" >&2
  exit 1
fi
