#!/usr/bin/env bash
# Fails when the browser bundle a first visit downloads grows past its budget. The budget is
# for the whole first visit to a product page (HTML, style sheet, script and wasm with brotli,
# photos excluded): 150 KB. The page's own HTML is about 2 KB (6 KB for the home page), so the
# bundle may take BUNDLE_BUDGET_BYTES (140,000 by default) of it.
#
# It builds only the browser side, in release (`--frontend-only`: the `wasm-release` profile,
# wasm-bindgen, wasm-opt, brotli), into a site directory of its own so its .br/.gz copies never
# shadow a debug build's. About 8 minutes on 2 cores from nothing, 2–3 once its dependencies
# are built.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
export RUSTFLAGS=${RUSTFLAGS:---cfg erase_components}
export LEPTOS_OUTPUT_NAME=choso
export LEPTOS_SITE_ROOT=${BUNDLE_SITE_ROOT:-$CARGO_TARGET_DIR/site-budget}
budget=${BUNDLE_BUDGET_BYTES:-140000}

cargo leptos build --release --precompress --frontend-only
pkg=$LEPTOS_SITE_ROOT/pkg
total=0
for file in choso.wasm choso.js choso.css; do
  [ -f "$pkg/$file.br" ] || { echo "$pkg/$file.br is missing: was the build precompressed?" >&2; exit 1; }
  raw=$(wc -c <"$pkg/$file")
  br=$(wc -c <"$pkg/$file.br")
  printf '%-11s %9d bytes, %7d with brotli\n' "$file" "$raw" "$br"
  total=$((total + br))
done
if [ "$total" -gt "$budget" ]; then
  echo "the bundle is $total bytes with brotli, over its budget of $budget: a first visit must stay within 150 KB" >&2
  exit 1
fi
echo "the bundle is $total bytes with brotli, within its budget of $budget"
