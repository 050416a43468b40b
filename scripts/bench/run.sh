#!/usr/bin/env bash
# `make bench`: Chợ Số beside nginx on the same machine, the same bytes and the same load.
#
# For each database size (BENCH_PRODUCTS, default "1000 50000") on each database
# (BENCH_DATABASES, default "sqlite"; add "postgres" for scripts/postgres.sh's server):
#   - a fresh database: the demo seed, then `choso grow` to that many products;
#   - the release server on it; each page fetched once, and nginx set up to serve those very
#     bytes with the same Content-Type at the same addresses;
#   - wrk (-t2 -c64, BENCH_SECONDS each, with --latency) on every page, app then nginx,
#     BENCH_ROUNDS rounds; the median requests per second and p99 are kept;
#   - one visitor searching query after query (scripts/bench/search.lua): p50, p95, p99;
#   - the server's peak memory (VmHWM) and what a first visit to the home and product pages
#     transfers with brotli;
#   - Lighthouse's mobile audit of the home, market and product pages, once (BENCH_LIGHTHOUSE=0
#     leaves it out).
# It prints the tables (scripts/bench/table.py) and keeps them, with the raw figures, in
# BENCH_OUT. Only ratios to nginx are meant to be compared between machines or runs.
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
export RUSTFLAGS=${RUSTFLAGS:---cfg erase_components}
export LEPTOS_OUTPUT_NAME=choso

products_list=${BENCH_PRODUCTS:-1000 50000}
databases=${BENCH_DATABASES:-sqlite}
seconds=${BENCH_SECONDS:-10}
rounds=${BENCH_ROUNDS:-3}
app_port=${BENCH_APP_PORT:-3480}
nginx_port=${BENCH_NGINX_PORT:-3481}
# The release bundle has its own site directory: its .br/.gz copies would shadow a debug build's.
site=${BENCH_SITE_ROOT:-$CARGO_TARGET_DIR/site-release}
out=${BENCH_OUT:-$CARGO_TARGET_DIR/bench/$(date -u +%Y%m%dT%H%M%SZ)}
# BENCH_BIN: a release binary built and copied aside beforehand (the shared target directory's
# may be rebuilt meanwhile by another branch); it is used as it is, with BENCH_SITE_ROOT's bundle.
bin=${BENCH_BIN:-$CARGO_TARGET_DIR/release/choso}
# A demo vendor: the signed-in page is seen as they see it, and their stall is the stall page.
vendor_login=${BENCH_LOGIN:-0912468201}
stall=${BENCH_STALL:-dac-san-gac-bep-co-hang}

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*" >&2; }

work=$(mktemp -d /tmp/choso-bench.XXXXXX)
server_pid=
nginx_pid=
stop() {
  local pid=$1
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop "$server_pid"
  server_pid=
  stop "$nginx_pid"
  nginx_pid=
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$here/scripts/bench/install.sh"
mkdir -p "$out"

# The one release build, unless the binary and bundle are newer than every source file.
build_is_current() {
  [ -x "$bin" ] && [ -f "$site/pkg/choso.wasm.br" ] || return 1
  local stale
  stale=$(find "$here/app" "$here/server" "$here/style" "$here/Cargo.toml" "$here/Cargo.lock" \
    -newer "$bin" -type f -not -path '*/tests/*' -print -quit)
  [ -z "$stale" ] && [ -z "$(find "$here/app" "$here/style" -newer "$site/pkg/choso.wasm.br" -type f -print -quit)" ]
}
if [ -n "${BENCH_BIN:-}" ]; then
  log "using the given binary: $bin"
elif build_is_current; then
  log "release build is up to date: $bin"
else
  log "release build (cargo leptos build --release --precompress)"
  (cd "$here" && LEPTOS_SITE_ROOT="$site" cargo leptos build --release --precompress)
fi

# Each page: a name for the table, its address, whether it is fetched signed in, and the target
# it is held to (scripts/bench/table.py's GOALS): anonymous pages come from the page cache,
# signed-in ones are rendered for every request, search under load is the costliest page.
pages() {
  local product=$1
  cat <<EOF
home	/	-	cached
market	/markets/coc-leu	-	cached
stall	/stalls/$stall	-	cached
product	/products/$product	-	cached
OCOP	/ocop	-	cached
search \`mat ong\`	/search?q=mat+ong	-	search
search \`ca phe\`	/search?q=ca+phe	-	search
\`/api/v1/stalls\`	/api/v1/stalls	-	cached
home, signed in	/	signed-in	rendered
market, signed in	/markets/coc-leu	signed-in	rendered
stall, signed in	/stalls/$stall	signed-in	rendered
product, signed in	/products/$product	signed-in	rendered
OCOP, signed in	/ocop	signed-in	rendered
EOF
}

# Makes a fresh database with `products` products; prints its URL.
fresh_database() {
  local db=$1 products=$2 data=$work/data-$db-$products url
  mkdir -p "$data"
  if [ "$db" = postgres ]; then
    local base
    base=$(bash "$here/scripts/postgres.sh")
    PGPASSWORD=choso_test psql -q -h 127.0.0.1 -U choso_test -d postgres \
      -c "DROP DATABASE IF EXISTS choso_bench" -c "CREATE DATABASE choso_bench" >&2
    url=${base%/postgres}/choso_bench
  else
    url="sqlite://$data/choso.db?mode=rwc"
  fi
  DATABASE_URL=$url CHOSO_DATA_DIR=$data "$bin" seed-demo >/dev/null
  DATABASE_URL=$url CHOSO_DATA_DIR=$data "$bin" grow --products "$products" >&2
  echo "$url"
}

start_server() {
  local url=$1 data=$2
  DATABASE_URL=$url CHOSO_DATA_DIR=$data LEPTOS_SITE_ROOT=$site LEPTOS_SITE_PKG_DIR=pkg \
    LEPTOS_SITE_ADDR=127.0.0.1:$app_port RUST_LOG=warn "$bin" serve >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$app_port/healthz" >/dev/null && return 0
    sleep 0.1
  done
  cat "$work/server.log" >&2
  echo "the server did not start" >&2
  exit 1
}

# Signs in as the demo vendor through the real sign-in endpoint; prints the session cookie.
session_cookie() {
  curl -fs -c "$work/jar" -o /dev/null "http://127.0.0.1:$app_port/api/log_in" \
    --data-urlencode "login=$vendor_login" --data-urlencode "password=choso-demo"
  awk '$6 == "choso_session" { print $6 "=" $7 }' "$work/jar"
}

# Fetches every page once into $work/pages and writes nginx's map from address to file.
capture_pages() {
  local product=$1 cookie=$2 name path auth n=0 file
  rm -rf "$work/pages"
  mkdir -p "$work/pages"
  : >"$work/map"
  : >"$work/targets"
  while IFS=$'\t' read -r name path auth goal; do
    n=$((n + 1))
    local headers=()
    [ "$auth" = signed-in ] && headers=(-H "Cookie: $cookie")
    local type
    type=$(curl -fs "${headers[@]}" -o "$work/page" -w '%{content_type}' "http://127.0.0.1:$app_port$path")
    case "$type" in
      application/json*) file=page$n.json ;;
      text/html*) file=page$n.html ;;
      *) echo "unexpected Content-Type $type for $path" >&2; exit 1 ;;
    esac
    mv "$work/page" "$work/pages/$file"
    # nginx serves the signed-in copy at its own address: it doesn't read cookies.
    local nginx_path=$path
    [ "$auth" = signed-in ] && nginx_path=/signed-in$path
    printf '  "%s" /%s;\n' "$nginx_path" "$file" >>"$work/map"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$nginx_path" "$auth" "$file" >>"$work/targets"
    printf '%s\t%s\n' "$name" "$goal" >>"$out/goals.tsv"
  done < <(pages "$product")
}

start_nginx() {
  mkdir -p "$work/nginx"
  # nginx's workers run as an unprivileged user, who must read the pages.
  chmod 755 "$work" "$work/pages"
  chmod 644 "$work/pages"/*
  cat >"$work/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; application/json json; }
  # The app's pages say "text/html; charset=utf-8" (charset applies to text/html only); its
  # JSON has no charset.
  charset utf-8;
  keepalive_timeout 65;
  keepalive_requests 1000000;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  map \$request_uri \$page {
$(cat "$work/map")
    default /none;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/pages;
    location / { try_files \$page =404; }
  }
}
EOF
  nginx -p "$work/nginx" -e "$work/nginx/error.log" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$nginx_port/" && return 0
    sleep 0.1
  done
  echo "nginx did not start" >&2
  exit 1
}

# Same bytes and Content-Type from both, or the comparison means nothing.
check_copies() {
  local name path nginx_path auth file type
  while IFS=$'\t' read -r name path nginx_path auth file; do
    type=$(curl -fs -o "$work/copy" -w '%{content_type}' "http://127.0.0.1:$nginx_port$nginx_path")
    cmp -s "$work/copy" "$work/pages/$file" || { echo "nginx's copy of $path differs" >&2; exit 1; }
    local app_type headers=()
    [ "$auth" = signed-in ] && headers=(-H "Cookie: $cookie")
    app_type=$(curl -fs -o /dev/null -w '%{content_type}' "${headers[@]}" "http://127.0.0.1:$app_port$path")
    [ "${type,,}" = "${app_type,,}" ] ||
      { echo "Content-Type of $path: app $app_type, nginx $type" >&2; exit 1; }
  done <"$work/targets"
}

# One wrk run; appends "db products page target round rps p99 errors" to results.tsv.
measure() {
  local db=$1 products=$2 name=$3 target=$4 round=$5 url=$6
  shift 6
  local report
  # wrk's own 2 s timeout would leave the slowest answers out of the p99.
  report=$(wrk -t2 -c64 -d"${seconds}s" --timeout "${seconds}s" --latency "$@" "$url")
  echo "$report" >>"$out/wrk.log"
  python3 "$here/scripts/bench/table.py" parse-wrk "$db" "$products" "$name" "$target" "$round" \
    <<<"$report" >>"$out/results.tsv"
}

run_load() {
  local db=$1 products=$2 round name path nginx_path auth file
  for round in $(seq 1 "$rounds"); do
    while IFS=$'\t' read -r name path nginx_path auth file; do
      local headers=()
      [ "$auth" = signed-in ] && headers=(-H "Cookie: $cookie")
      log "$db $products products, round $round/$rounds: $name"
      measure "$db" "$products" "$name" app "$round" "http://127.0.0.1:$app_port$path" "${headers[@]}"
      measure "$db" "$products" "$name" nginx "$round" "http://127.0.0.1:$nginx_port$nginx_path"
    done <"$work/targets"
  done
}

# One visitor searching, query after query (scripts/bench/search.lua), signed in so that no
# answer comes from the page cache; appends "db products round requests p50 p95 p99" (µs).
search_latency() {
  local db=$1 products=$2 round line
  for round in $(seq 1 "$rounds"); do
    log "$db $products products, round $round/$rounds: one visitor searching"
    line=$(wrk -t1 -c1 -d"${seconds}s" --timeout "${seconds}s" -H "Cookie: $cookie" \
      -s "$here/scripts/bench/search.lua" "http://127.0.0.1:$app_port" | grep '^search-latency' | cut -f2-)
    printf '%s\t%s\t%s\t%s\n' "$db" "$products" "$round" "$line" >>"$out/latency.tsv"
  done
}

# What a first visit transfers with brotli: the page, its style sheet, script and wasm.
first_visit() {
  local db=$1 products=$2 name=$3 path=$4 html css=0 js=0 wasm=0 asset bytes
  html=$(curl -fs "http://127.0.0.1:$app_port$path" | brotli -c | wc -c)
  for asset in $(curl -fs "http://127.0.0.1:$app_port$path" | grep -o 'href="/pkg/[^"]*"' | cut -d'"' -f2 | sort -u); do
    bytes=$(curl -fs -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "http://127.0.0.1:$app_port$asset")
    case "$asset" in
      *.css) css=$((css + bytes)) ;;
      *.js) js=$((js + bytes)) ;;
      *.wasm) wasm=$((wasm + bytes)) ;;
    esac
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$db" "$products" "$name" "$html" "$css" "$js" "$wasm" >>"$out/sizes.tsv"
}

: >"$out/results.tsv"
: >"$out/rss.tsv"
: >"$out/sizes.tsv"
: >"$out/latency.tsv"
: >"$out/goals.tsv"
: >"$out/lighthouse.tsv"
for db in $databases; do
  for products in $products_list; do
    log "$db: growing a fresh database to $products products"
    url=$(fresh_database "$db" "$products")
    start_server "$url" "$work/data-$db-$products"
    cookie=$(session_cookie)
    [ -n "$cookie" ] || { echo "signing in as $vendor_login failed" >&2; exit 1; }
    product=$(curl -fs "http://127.0.0.1:$app_port/stalls/$stall" | grep -o 'href="/products/[0-9]*"' | head -n1 | grep -o '[0-9]*')
    [ -n "$product" ] || { echo "no product found on /stalls/$stall" >&2; exit 1; }
    capture_pages "$product" "$cookie"
    start_nginx
    check_copies
    first_visit "$db" "$products" home /
    first_visit "$db" "$products" product "/products/$product"
    # Lighthouse once, on the first database and size: it weighs pages, not the server's speed.
    if [ "${BENCH_LIGHTHOUSE:-1}" = 1 ] && [ ! -s "$out/lighthouse.tsv" ]; then
      bash "$here/scripts/bench/lighthouse.sh" "http://127.0.0.1:$app_port" "$out/lighthouse.tsv" \
        home=/ market=/markets/coc-leu "product=/products/$product"
    fi
    run_load "$db" "$products"
    search_latency "$db" "$products"
    printf '%s\t%s\t%s\n' "$db" "$products" "$(awk '/VmHWM/ { print $2 }' "/proc/$server_pid/status")" >>"$out/rss.tsv"
    stop "$server_pid"
    server_pid=
    stop "$nginx_pid"
    nginx_pid=
  done
done

{
  echo "Machine: $(nproc) cores, $(lscpu | awk -F: '/Model name/ { gsub(/^ +/, "", $2); print $2; exit }'); $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "Command: make bench BENCH_PRODUCTS=\"$products_list\" BENCH_DATABASES=\"$databases\" BENCH_SECONDS=$seconds BENCH_ROUNDS=$rounds"
  echo
  python3 "$here/scripts/bench/table.py" table "$out"
} | tee "$out/table.md"
log "figures kept in $out"
