#!/usr/bin/env bash
# Tests keyfob's OS-keyring path against a real Secret Service: installs
# gnome-keyring and dbus from Debian when missing (as root on Debian 12),
# starts a private D-Bus session bus with a gnome-keyring-daemon whose
# login collection is created and unlocked with a throwaway password, and
# runs the host/keyring tests named SecretService with
# KEYFOB_TEST_SECRET_SERVICE=1 (the real-service test must then pass; the
# fallback tests run too). The keyring files live in a temporary
# directory, so no real keyring is touched. Prints one PASS or FAIL line.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
start=$SECONDS

if ! command -v gnome-keyring-daemon >/dev/null || ! command -v dbus-run-session >/dev/null \
  || ! command -v dbus-daemon >/dev/null; then
  echo "--- installing gnome-keyring and dbus"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends gnome-keyring dbus
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 0700 "$tmp/data" "$tmp/run"

# Inside the session: gnome-keyring-daemon --unlock reads the login
# password on stdin, creates the login collection with it if there is
# none, and unlocks it. Its files go under $tmp (XDG_DATA_HOME,
# XDG_RUNTIME_DIR, exported to the whole session so that a daemon the bus
# activates uses them too), not the user's home. It exits with the bus.
# KEYFOB_TEST_SECRET_SERVICE_LOCK=1: this login collection is a throwaway,
# so the test may lock it to check the fallback.
session='
set -euo pipefail
printf "%s" "keyfob-ci" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
KEYFOB_TEST_SECRET_SERVICE=1 KEYFOB_TEST_SECRET_SERVICE_LOCK=1 \
  go test -count=1 -v -run "SecretService" ./host/keyring/
'
echo "--- go test -run SecretService ./host/keyring/ (real gnome-keyring under dbus-run-session)"
if XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" dbus-run-session -- bash -c "$session" 2>&1 \
  | grep -v "Failed to set fd limit" | tee "$tmp/log"; then
  if grep -q -- "--- PASS: TestSecretServiceReal" "$tmp/log"; then
    echo "PASS: keyring Secret Service tests ($((SECONDS - start))s)"
    exit 0
  fi
  echo "FAIL: keyring Secret Service tests: TestSecretServiceReal did not run ($((SECONDS - start))s)"
  exit 1
fi
echo "FAIL: keyring Secret Service tests ($((SECONDS - start))s)"
exit 1
