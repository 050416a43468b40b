#!/usr/bin/env python3
"""The benchmark's figures: `parse-wrk FIELD...` reads one wrk report (with --latency) on
standard input and prints the fields, then "requests/s <tab> p99 ms <tab> errors", tab-separated;
`table DIR` prints the markdown tables from
the figures scripts/bench/run.sh kept in DIR."""
import csv
import re
import statistics
import sys
from collections import defaultdict

BUDGET_KB = 150
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def parse_wrk(report: str) -> str:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.M)
    # Non-2xx answers and socket errors both mean the figure is not of the page.
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", report))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    p99_ms = float(p99.group(1)) * UNITS_MS[p99.group(2)] if p99 else float("nan")
    return f"{float(rps.group(1)) if rps else 0.0}\t{p99_ms}\t{errors}"


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def count(n: float) -> str:
    return f"{n:,.0f}"


def ms(n: float) -> str:
    return f"{n:.1f} ms" if n < 100 else f"{n:,.0f} ms"


def kb(n: int) -> str:
    return f"{n / 1000:,.1f} KB"


def table(out: str) -> None:
    runs = defaultdict(lambda: defaultdict(list))
    order = defaultdict(list)
    for db, products, page, target, _round, rps, p99, errors in read(f"{out}/results.tsv"):
        key = (db, int(products))
        if page not in order[key]:
            order[key].append(page)
        runs[key][(page, target)].append((float(rps), float(p99), int(errors)))
    rss = {(db, int(n)): int(kb_) for db, n, kb_ in read(f"{out}/rss.tsv")}
    sizes = defaultdict(list)
    for db, n, page, html, css, js, wasm in read(f"{out}/sizes.tsv"):
        sizes[(db, int(n))].append((page, int(html), int(css), int(js), int(wasm)))
    for key in sorted(order, key=lambda k: (k[0], k[1])):
        db, products = key
        name = "SQLite" if db == "sqlite" else "PostgreSQL"
        print(f"### {name}, {products:,} products\n")
        print("| page | app req/s | nginx req/s | ratio | app p99 |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for page in order[key]:
            app = runs[key][(page, "app")]
            nginx = runs[key][(page, "nginx")]
            app_rps = statistics.median(r for r, _, _ in app)
            nginx_rps = statistics.median(r for r, _, _ in nginx)
            p99 = statistics.median(p for _, p, _ in app)
            errors = sum(e for _, _, e in app) + sum(e for _, _, e in nginx)
            note = f" ({errors:,} timed out or failed)" if errors else ""
            ratio = app_rps / nginx_rps if nginx_rps else 0.0
            # wrk leaves an answer slower than its 2 s timeout out of its latencies, and reports
            # none at all when nothing answered during the run.
            if app_rps == 0:
                latency = "none answered"
            elif errors or p99 == 0:
                latency = "over 2 s"
            else:
                latency = ms(p99)
            print(f"| {page}{note} | {count(app_rps)} | {count(nginx_rps)} | {ratio:.3f} | {latency} |")
        if key in rss:
            print(f"\nPeak RSS of the server (VmHWM): {rss[key] / 1024:,.0f} MB\n")
        if sizes[key]:
            print("| first visit (brotli) | HTML | CSS | JS | wasm | total | budget |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
            for page, html, css, js, wasm in sizes[key]:
                total = html + css + js + wasm
                verdict = "within" if total <= BUDGET_KB * 1000 else "over"
                print(
                    f"| {page} | {kb(html)} | {kb(css)} | {kb(js)} | {kb(wasm)} | {kb(total)} "
                    f"| {BUDGET_KB} KB ({verdict}) |"
                )
            print()


if __name__ == "__main__":
    if sys.argv[1:2] == ["parse-wrk"]:
        print("\t".join(sys.argv[2:] + [parse_wrk(sys.stdin.read())]))
    elif sys.argv[1:2] == ["table"] and len(sys.argv) == 3:
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
