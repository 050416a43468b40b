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
RSS_BUDGET_MB = 150
SEARCH_P95_MS = 10.0
# What each kind of page is held to (issue "light and fast at province scale"): its share of
# nginx's requests per second for the same bytes, and the p99 it must stay under, if any.
GOALS = {
    "cached": (0.25, 50.0),
    "rendered": (0.05, None),
    "search": (0.02, None),
}
LIGHTHOUSE_GOALS = (95, 100, 100, 100)
LCP_BUDGET_MS = 2500
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


def verdict(met: bool) -> str:
    return "met" if met else "**missed**"


def goal_text(goal: str) -> str:
    share, p99 = GOALS[goal]
    return f"≥ {share:g}" + (f", p99 < {p99:g} ms" if p99 else "")


def load_table(key, order, runs, goals) -> None:
    print("| page | app req/s | nginx req/s | ratio | app p99 | target | |")
    print("| --- | ---: | ---: | ---: | ---: | --- | --- |")
    for page in order[key]:
        app = runs[key][(page, "app")]
        nginx = runs[key][(page, "nginx")]
        app_rps = statistics.median(r for r, _, _ in app)
        nginx_rps = statistics.median(r for r, _, _ in nginx)
        p99 = statistics.median(p for _, p, _ in app)
        errors = sum(e for _, _, e in app) + sum(e for _, _, e in nginx)
        note = f" ({errors:,} timed out or failed)" if errors else ""
        ratio = app_rps / nginx_rps if nginx_rps else 0.0
        latency = "none answered" if app_rps == 0 or p99 != p99 else ms(p99)
        goal = goals.get(page)
        if goal in GOALS:
            share, p99_goal = GOALS[goal]
            met = ratio >= share and not errors and (p99_goal is None or p99 < p99_goal)
            target = f"{goal_text(goal)} | {verdict(met)}"
        else:
            target = "| "
        print(
            f"| {page}{note} | {count(app_rps)} | {count(nginx_rps)} | {ratio:.3f} | {latency} "
            f"| {target} |"
        )


def latency_table(rows) -> None:
    if not rows:
        return
    med = [statistics.median(r[i] for r in rows) / 1000 for i in (1, 2, 3)]
    searches = sum(r[0] for r in rows)
    print(
        f"\nOne visitor searching, each query different and none from the cache ({searches:,} "
        f"searches): p50 {ms(med[0])}, p95 {ms(med[1])}, p99 {ms(med[2])}; "
        f"target p95 < {SEARCH_P95_MS:g} ms: {verdict(med[1] < SEARCH_P95_MS)}\n"
    )


def sizes_table(rows) -> None:
    if not rows:
        return
    print("| first visit (brotli) | HTML | CSS | JS | wasm | total | budget |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for page, html, css, js, wasm in rows:
        total = html + css + js + wasm
        met = total <= BUDGET_KB * 1000
        print(
            f"| {page} | {kb(html)} | {kb(css)} | {kb(js)} | {kb(wasm)} | {kb(total)} "
            f"| {BUDGET_KB} KB: {verdict(met)} |"
        )
    print()


def lighthouse_table(rows) -> None:
    if not rows:
        return
    print("### Lighthouse, mobile (simulated slow 4G)\n")
    goal = " / ".join(str(g) for g in LIGHTHOUSE_GOALS)
    print(f"| page | performance | accessibility | best practices | SEO | LCP | TBT | transferred "
          f"| target {goal}, LCP ≤ {LCP_BUDGET_MS / 1000:g} s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, *scores, lcp, tbt, sent in rows:
        scores = [int(s) for s in scores]
        met = all(s >= g for s, g in zip(scores, LIGHTHOUSE_GOALS)) and float(lcp) <= LCP_BUDGET_MS
        cells = " | ".join(str(s) for s in scores)
        print(f"| {name} | {cells} | {float(lcp) / 1000:.1f} s | {float(tbt):.0f} ms "
              f"| {kb(int(sent))} | {verdict(met)} |")
    print()


def table(out: str) -> None:
    runs = defaultdict(lambda: defaultdict(list))
    order = defaultdict(list)
    for db, products, page, target, _round, rps, p99, errors in read(f"{out}/results.tsv"):
        key = (db, int(products))
        if page not in order[key]:
            order[key].append(page)
        runs[key][(page, target)].append((float(rps), float(p99), int(errors)))
    goals = dict(read(f"{out}/goals.tsv"))
    rss = {(db, int(n)): int(kb_) for db, n, kb_ in read(f"{out}/rss.tsv")}
    sizes = defaultdict(list)
    for db, n, page, html, css, js, wasm in read(f"{out}/sizes.tsv"):
        sizes[(db, int(n))].append((page, int(html), int(css), int(js), int(wasm)))
    latency = defaultdict(list)
    for db, n, _round, *figures in read(f"{out}/latency.tsv"):
        latency[(db, int(n))].append([int(f) for f in figures])
    for key in sorted(order, key=lambda k: (k[0], k[1])):
        db, products = key
        name = "SQLite" if db == "sqlite" else "PostgreSQL"
        print(f"### {name}, {products:,} products\n")
        load_table(key, order, runs, goals)
        latency_table(latency[key])
        if key in rss:
            mb = rss[key] / 1024
            print(f"Peak RSS of the server (VmHWM): {mb:,.0f} MB; "
                  f"target ≤ {RSS_BUDGET_MB} MB: {verdict(mb <= RSS_BUDGET_MB)}\n")
        sizes_table(sizes[key])
    lighthouse_table(read(f"{out}/lighthouse.tsv"))


if __name__ == "__main__":
    if sys.argv[1:2] == ["parse-wrk"]:
        print("\t".join(sys.argv[2:] + [parse_wrk(sys.stdin.read())]))
    elif sys.argv[1:2] == ["table"] and len(sys.argv) == 3:
        table(sys.argv[2])
    else:
        sys.exit(__doc__)
