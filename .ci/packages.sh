#!/usr/bin/env bash
# Debian packages the tests need. Installs only what is missing.
set -euo pipefail
need=()
for pkg in git ca-certificates gnome-keyring dbus time; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then echo "missing packages ${need[*]} and not root" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# pnpm (for the tokenHelper end-to-end test) comes from the npm registry.
if ! command -v pnpm >/dev/null && command -v npm >/dev/null; then
  npm install -g --silent pnpm@12.21.0 >/dev/null 2>&1 || echo "pnpm could not be installed; its e2e test will skip"
fi
echo "packages ok"
