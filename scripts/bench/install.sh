#!/usr/bin/env bash
# Installs what the benchmark needs from Debian's packages, each only when missing: wrk (the load
# generator), nginx (the yardstick serving the same bytes), brotli (to weigh pages as a browser
# receives them) and chromium (for Lighthouse); and Lighthouse itself from npm, at the version
# package-lock.json pins. Like scripts/install-tools.sh, nothing comes from outside the package
# registries.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[ -x "$here/node_modules/.bin/lighthouse" ] || npm ci --prefix "$here" --no-audit --no-fund >&2

missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v brotli >/dev/null || missing+=(brotli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "[bench] installing ${missing[*]}" >&2
# Debian starts a freshly installed nginx as a service on port 80; the benchmark runs its own,
# unprivileged one, so package scripts are told not to start services while installing.
policy=/usr/sbin/policy-rc.d
placed_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod +x "$policy"
  placed_policy=1
fi
trap '[ -n "$placed_policy" ] && "${as_root[@]}" rm -f "$policy"' EXIT
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
