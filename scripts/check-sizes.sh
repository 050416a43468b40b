#!/usr/bin/env bash
# Fails when a source file has grown past what a reader can hold in their head. The limit is
# for every file the project writes: Rust (tests included), TypeScript, CSS and scripts. Data a
# program reads (fixtures, the bank list, the demo's CSV and JSON) and generated or vendored
# files are not code to read and are left out by their extensions and folders below.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=${CHOSO_MAX_FILE_LINES:-600}
status=0
while IFS= read -r file; do
  lines=$(wc -l <"$file")
  if [ "$lines" -gt "$limit" ]; then
    echo "$file: $lines lines, over the limit of $limit: split it into modules named after what they hold" >&2
    status=1
  fi
done < <(git ls-files '*.rs' '*.ts' '*.css' '*.sh' 'Makefile' | grep -v '^end2end/node_modules/')
if [ "$status" -eq 0 ]; then
  echo "every source file is within $limit lines"
fi
exit "$status"
