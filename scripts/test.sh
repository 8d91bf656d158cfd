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
if go test -race -count=1 -v ./... >"$log.main" 2>&1; then
  grep -E '^(ok|FAIL)' "$log.main"
else
  status=1; grep -vE '^\s*(=== |--- PASS|--- SKIP)' "$log.main" | tail -300
fi
echo "--- go test -race ./...  (e2e module)"
if (cd e2e && go test -race -count=1 -v ./...) >"$log.e2e" 2>&1; then
  grep -E '^(ok|FAIL)' "$log.e2e"
else
  status=1; grep -vE '^\s*(=== |--- PASS|--- SKIP)' "$log.e2e" | tail -300
fi
echo "--- keyring: real Secret Service (gnome-keyring under dbus-run-session)"
if { command -v gnome-keyring-daemon && command -v dbus-run-session; } >/dev/null || [[ $(id -u) -eq 0 ]]; then
  if bash .ci/keyring-test.sh >"$log.kr" 2>&1; then
    tail -1 "$log.kr"; grep -E '^\s*--- (PASS|SKIP)' "$log.kr" >>"$log.main" || true
  else
    tail -60 "$log.kr"; echo "--- FAIL: keyring" >>"$log.main"; status=1
  fi
else
  echo "--- SKIP: keyring (needs gnome-keyring and dbus, or root to install them)" | tee -a "$log.main"
fi
echo "--- go run ./examples/quickstart"
if go run ./examples/quickstart >/dev/null 2>"$log.qs"; then
  echo "--- PASS: quickstart"; echo "--- PASS: quickstart" >>"$log.main"
else
  cat "$log.qs"; echo "--- FAIL: quickstart" | tee -a "$log.main"; status=1
fi
passed=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- PASS')
failed=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- FAIL')
skipped=$(cat "$log.main" "$log.e2e" | grep -cE '^\s*--- SKIP')
rm -f "$log.main" "$log.e2e" "$log.qs" "$log.kr"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
