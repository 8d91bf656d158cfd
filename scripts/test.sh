#!/usr/bin/env bash
# Runs every test of keyfob: unit and integration tests of the product
# module, the end-to-end suite (nested module e2e/, real authorization
# servers and real host tools), and the quickstart. All under -race.
set -uo pipefail
cd "$(dirname "$0")/.."
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
echo "--- go test -race ./...  (product module)"
go test -race -count=1 -v ./... >"$log.main" 2>&1 || status=1
grep -E '^(ok|FAIL|---|panic|\s+--- FAIL)|_test.go:[0-9]+:' "$log.main" | grep -v -- '--- PASS\|--- SKIP' | head -200
echo "--- go test -race ./...  (e2e module)"
(cd e2e && go test -race -count=1 -v ./...) >"$log.e2e" 2>&1 || status=1
grep -E '^(ok|FAIL|---|panic|\s+--- FAIL)|_test.go:[0-9]+:' "$log.e2e" | grep -v -- '--- PASS\|--- SKIP' | head -200
echo "--- go run ./examples/quickstart"
if go run ./examples/quickstart >/dev/null 2>"$log.qs"; then
  echo "--- PASS: quickstart"; echo "--- PASS: quickstart" >>"$log.main"
else
  cat "$log.qs"; echo "--- FAIL: quickstart" | tee -a "$log.main"; status=1
fi
passed=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- PASS')
failed=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- FAIL')
skipped=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- SKIP')
rm -f "$log.main" "$log.e2e" "$log.qs"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
