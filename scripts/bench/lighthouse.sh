#!/usr/bin/env bash
# Lighthouse's mobile audit (its default: a mid-range phone on a simulated slow 4G link) of the
# pages named on the command line, served by the release build at BASE. Appends to OUT, one line
# a page: "name performance accessibility best-practices seo LCP-ms TBT-ms transferred-bytes".
# Usage: lighthouse.sh BASE OUT NAME=PATH...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
base=$1 out=$2
shift 2
report=$(mktemp -d /tmp/choso-lighthouse.XXXXXX)
trap 'rm -rf "$report"' EXIT

for page in "$@"; do
  name=${page%%=*} path=${page#*=}
  echo "[bench] Lighthouse: $name ($path)" >&2
  CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$here/node_modules/.bin/lighthouse" "$base$path" \
    --quiet --output=json --output-path="$report/page.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu"
  python3 - "$name" "$report/page.json" >>"$out" <<'PY'
import json, sys
name, path = sys.argv[1], sys.argv[2]
d = json.load(open(path, encoding="utf-8"))
scores = [round(d["categories"][c]["score"] * 100) for c in
          ("performance", "accessibility", "best-practices", "seo")]
audits = d["audits"]
lcp = audits["largest-contentful-paint"]["numericValue"]
tbt = audits["total-blocking-time"]["numericValue"]
sent = audits["total-byte-weight"]["numericValue"]
print("\t".join([name] + [str(s) for s in scores] + [f"{lcp:.0f}", f"{tbt:.0f}", f"{sent:.0f}"]))
# Whatever costs a point, so the table's reader knows what to mend.
for cat in d["categories"].values():
    for ref in cat["auditRefs"]:
        a = audits[ref["id"]]
        if ref["weight"] and a.get("score") is not None and a["score"] < 1:
            print(f"[bench]   {name}: {cat['id']} / {ref['id']}: {a['score']} {a.get('displayValue', '')}",
                  file=sys.stderr)
PY
done
