#!/usr/bin/env bash
# Installs every tool that building, serving and testing Chợ Số needs, each only when it is missing,
# so a fresh machine of the project's kind gets from a clean clone to `make test` with no manual step.
# Nothing here downloads from outside the package registries (crates.io, npm, Debian's apt).
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132
here=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"

log() { printf '\033[1;34m[install]\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock exactly, or the browser bundle
# fails with a "schema version" error at build time.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$here/Cargo.lock"
}

# Unpacks a crate's published source into a scratch directory, from cargo's own download cache.
crate_source() {
  local name=$1 version=$2 scratch crate
  scratch=$(mktemp -d)
  crate=$(ls "$HOME"/.cargo/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1 || true)
  if [ -z "$crate" ]; then
    # `cargo install` downloads the crate before it fails on the pinned dependency below; that is enough.
    cargo install "$name" --version "$version" --locked --root "$scratch/root" >/dev/null 2>&1 || true
    crate=$(ls "$HOME"/.cargo/registry/cache/*/"$name-$version.crate" 2>/dev/null | head -n1 || true)
  fi
  [ -n "$crate" ] || { echo "could not download $name $version from crates.io" >&2; exit 1; }
  tar -xzf "$crate" -C "$scratch"
  echo "$scratch/$name-$version"
}

# Installs a crate's binary from its source with one dependency pinned back to a version that
# builds with this machine's toolchain and registry.
#
# The tools' own release profiles ask for fat LTO and one codegen unit: the best binary, but its
# final link runs on one core for most of the install (cargo-leptos took 23 minutes on 2 cores).
# These developer tools spend their time waiting for cargo and wasm-opt, not in their own code, so
# they are built without LTO, in parallel codegen units, at a lighter optimisation level. Cargo
# lets environment variables override a package's own profile.
install_pinned() {
  local name=$1 version=$2 dep=$3 dep_version=$4 src
  src=$(crate_source "$name" "$version")
  (cd "$src" && cargo update -p "$dep" --precise "$dep_version" &&
    CARGO_PROFILE_RELEASE_LTO=off \
      CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
      CARGO_PROFILE_RELEASE_DEBUG=false \
      CARGO_PROFILE_RELEASE_INCREMENTAL=false \
      cargo install --path . --locked)
}

# Downloads (apt, npm) wait on the network while the Rust tools keep both cores busy, so on a fresh
# machine they run in the background beside the compiles and are waited for at the end.
background=()
run_in_background() {
  local what=$1
  shift
  log "$what (in the background)"
  "$@" &
  background+=("$!:$what")
}

apt_missing=()
[ -x /usr/bin/chromium ] || apt_missing+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || apt_missing+=(postgresql)
apt_install() {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
if [ ${#apt_missing[@]} -gt 0 ]; then
  run_in_background "apt: ${apt_missing[*]}" apt_install "${apt_missing[@]}"
fi

# `npm ls` fails when a package of the lock file is missing, so a checkout whose lock file gained a
# package (or a fresh one) installs again, and an up-to-date one doesn't touch the network.
if [ -f "$here/end2end/package.json" ] && ! (cd "$here/end2end" && npm ls --silent >/dev/null 2>&1); then
  run_in_background "end2end npm packages" \
    bash -c "cd '$here/end2end' && npm ci --silent --no-audit --no-fund"
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  log "rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
rustup component list --installed | grep -q '^clippy' || rustup component add clippy
rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

# cargo-leptos 0.3.11's lock file pulls cargo-util-schemas 0.14.2, which needs a newer rustc than 1.95.
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  log "cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores)"
  install_pinned cargo-leptos "$CARGO_LEPTOS_VERSION" cargo-util-schemas 0.14.1
fi

# wasm-bindgen-cli's lock file wants a webpki-roots release that the registry does not serve.
wbg=$(wasm_bindgen_version)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbg\$"; then
  log "wasm-bindgen-cli $wbg"
  install_pinned wasm-bindgen-cli "$wbg" webpki-roots 1.0.10
fi

# Release builds run wasm-opt; Debian's binaryen 108 produces wasm that never hydrates, npm's 132 works.
if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
  if dpkg -s binaryen >/dev/null 2>&1; then apt-get remove -y -qq binaryen >/dev/null; fi
  log "wasm-opt (npm binaryen@$BINARYEN_VERSION)"
  npm install -g --silent "binaryen@$BINARYEN_VERSION"
fi

for job in "${background[@]}"; do
  wait "${job%%:*}" || { echo "failed: ${job#*:}" >&2; exit 1; }
done
log "tools ready"
