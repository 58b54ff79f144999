#!/usr/bin/env python3
"""Turns the raw wrk outputs of bench/compare.sh into a markdown table. Standard library only.

    report.py RESULTS_DIR    reads RESULTS_DIR/wrk-c<C>-<body>-<python|image>.txt, prints the table and
                             writes it to RESULTS_DIR/table.md. Exit 1 if any run had non-2xx responses,
                             socket errors, or no output to parse.

Where compare.sh measured several rounds (ROUNDS), RESULTS_DIR holds round-1, round-2, ...: each round's tables
are printed (and written to its own table.md), then the ratios the goals are judged by, each round's and their
median, written to RESULTS_DIR/table.md.

Ratios are "higher is better for the image": image req/s / python req/s, python p99 / image p99,
python p50 / image p50.

Where the run also measured each request's own latency (hey-c<C>-<body>-<server>.csv, ping-<server>.txt|csv), a
second table gives per-request p50/p99/p99.9 beside wrk's coordinated-omission-corrected p99, and GET /ping at c=1.
"""
import csv
import pathlib
import re
import statistics
import sys
import typing

UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
NAME = re.compile(r"wrk-c(\d+)-(b\d+)-(python|image)\.txt$")


def parse(text):
    """wrk --latency output -> dict(rps, p50, p90, p99 in ms, requests, non2xx, socket errors)."""
    def latency(percent):
        m = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        return float(m.group(1)) * UNITS_MS[m.group(2)] if m else None

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    requests = re.search(r"^\s+(\d+) requests in", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50": latency(50), "p90": latency(90), "p99": latency(99),
        "requests": int(requests.group(1)) if requests else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "sockets": sockets.group(0) if sockets else None,
    }


def per_request(path):
    """hey -o csv -> dict(p50, p99, p999 in ms, requests, non2xx) from each request's own response time."""
    times, non2xx = [], 0
    with path.open(newline="") as rows:
        for row in csv.DictReader(rows):
            times.append(float(row["response-time"]) * 1e3)
            if not row["status-code"].startswith("2"):
                non2xx += 1
    times.sort()

    def at(q):
        return times[min(len(times) - 1, int(q * len(times)))] if times else None

    return {"p50": at(0.50), "p99": at(0.99), "p999": at(0.999), "requests": len(times), "non2xx": non2xx}


def hey_runs(results):
    """Each request's own times of every hey run in RESULTS_DIR, by (connections, body, server)."""
    runs = {}
    for path in results.glob("hey-*.csv"):
        m = re.search(r"hey-c(\d+)-(b\d+)-(python|image)\.csv$", path.name)
        if m:
            runs[(int(m.group(1)), m.group(2), m.group(3))] = per_request(path)
    return runs


def per_request_table(bodies, wrk_runs, runs, pings, problems):
    """The per-request table beside the wrk runs, or no lines where the run did not measure it."""
    if not runs:
        return []
    lines = [
        "",
        "Each request's own latency (hey, the same loads, after each wrk run; hey writes times to 0.1 ms) beside"
        " wrk's corrected p99:",
        "",
        "| load | body | python p50 | python p99 | python p99.9 | image p50 | image p99 | image p99.9 "
        "| p99 python÷image | wrk p99 python÷image |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c, body in sorted({(k[0], k[1]) for k in runs}):
        py, im = runs.get((c, body, "python"), {}), runs.get((c, body, "image"), {})
        for server, run in (("python", py), ("image", im)):
            if not run or not run["requests"]:
                problems.append(f"c={c} {body} {server}: no hey result to parse")
            elif run["non2xx"]:
                problems.append(f"c={c} {body} {server}: {run['non2xx']} of {run['requests']} hey responses non-2xx")
        wrk_py, wrk_im = wrk_runs.get((c, body, "python"), {}), wrk_runs.get((c, body, "image"), {})
        lines.append(
            f"| c={c} | {bodies.get(body, body)} "
            f"| {ms(py.get('p50'))} | {ms(py.get('p99'))} | {ms(py.get('p999'))} "
            f"| {ms(im.get('p50'))} | {ms(im.get('p99'))} | {ms(im.get('p999'))} "
            f"| {ratio(py.get('p99'), im.get('p99'))} | {ratio(wrk_py.get('p99'), wrk_im.get('p99'))} |")
    if pings:
        lines += ["", "GET /ping at c=1: " + "; ".join(
            f"{server} wrk p50 {ms(w['p50'])}, p99 {ms(w['p99'])}; per request p50 {ms(h['p50'])},"
            f" p99 {ms(h['p99'])}, p99.9 {ms(h['p999'])}" for server, (w, h) in pings.items()) + "."]
    if "image" in pings:
        ping_wrk, ping_hey = pings["image"]
        over = [f"{bodies.get(body, body)} {ratio(wrk_runs.get((1, body, 'image'), {}).get('p99'), ping_wrk['p99'])}"
                f" (per request {ratio(runs.get((1, body, 'image'), {}).get('p99'), ping_hey['p99'])})"
                for body in sorted({k[1] for k in runs if k[0] == 1})]
        if over:
            lines += ["", "The image's c=1 p99 ÷ its own GET /ping p99 (wrk): " + "; ".join(over) + "."]
    return lines


def ping_runs(results):
    """GET /ping at c=1 in RESULTS, by server: (wrk's run, each request's times), for the servers it was measured on."""
    runs = {}
    for server in ("python", "image"):
        wrk_file, hey_file = results / f"ping-{server}.txt", results / f"ping-{server}.csv"
        if wrk_file.exists() and hey_file.exists():
            runs[server] = parse(wrk_file.read_text()), per_request(hey_file)
    return runs


def ms(value):
    return "n/a" if value is None else (f"{value * 1000:.0f} µs" if value < 1 else f"{value:.2f} ms")


def ratio(a, b):
    return "n/a" if not a or not b else f"{a / b:.2f}×"


class Round(typing.NamedTuple):
    """One round's tables, the problems found in it, its wrk and hey runs by (connections, body, server), its GET
    /ping runs by server (ping_runs), and the bodies' labels."""
    directory: pathlib.Path
    lines: list
    problems: list
    wrk: dict
    hey: dict
    pings: dict
    bodies: dict


def round_table(results, bodies_dir):
    """The tables of the runs in RESULTS (a run's folder, or one round's)."""
    runs = {}
    for path in results.glob("wrk-*.txt"):
        m = NAME.search(path.name)
        if m:
            runs[(int(m.group(1)), m.group(2), m.group(3))] = parse(path.read_text())
    bodies = {}
    for body in sorted({k[1] for k in runs}):
        body_file = bodies_dir / f"{body}.json"
        size = f", {body_file.stat().st_size / 1000:.1f} KB" if body_file.exists() else ""
        bodies[body] = f"B={body[1:]} ({body[1:]}×20{size})"

    lines = [
        "| load | body | python req/s | python p50 | python p99 | image req/s | image p50 | image p99 "
        "| req/s image÷python | p99 python÷image | p50 python÷image |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    problems = []
    for c, body in sorted({(k[0], k[1]) for k in runs}):
        py, im = runs.get((c, body, "python"), {}), runs.get((c, body, "image"), {})
        for server, run in (("python", py), ("image", im)):
            if not run or run["rps"] is None or run["p99"] is None:
                problems.append(f"c={c} {body} {server}: no wrk result to parse")
                continue
            if run["non2xx"]:
                problems.append(f"c={c} {body} {server}: {run['non2xx']} of {run['requests']} responses non-2xx")
            if run["sockets"]:
                problems.append(f"c={c} {body} {server}: {run['sockets']}")
        lines.append(
            f"| c={c} | {bodies[body]} "
            f"| {py.get('rps') or 0:,.0f} | {ms(py.get('p50'))} | {ms(py.get('p99'))} "
            f"| {im.get('rps') or 0:,.0f} | {ms(im.get('p50'))} | {ms(im.get('p99'))} "
            f"| {ratio(im.get('rps'), py.get('rps'))} | {ratio(py.get('p99'), im.get('p99'))} "
            f"| {ratio(py.get('p50'), im.get('p50'))} |")
    hey, pings = hey_runs(results), ping_runs(results)
    lines += per_request_table(bodies, runs, hey, pings, problems)
    return Round(results, lines, problems, runs, hey, pings, bodies)


def quotient(a, b):
    return a / b if a and b else None


def summary(rounds):
    """The goals' ratios in each round and their median: python p99 ÷ image p99 per load, and the image's c=1 p99
    ÷ its own GET /ping p99, each from wrk and from each request's own times; then how far the image's c=1 tail
    stands from its median beside how far /ping's does (wrk's p99/p50 ÷ p99/p50: at most 1, the request path adds no
    tail of its own to the host's)."""
    def row(name, values):
        known = [v for v in values if v is not None]
        cells = " | ".join("n/a" if v is None else f"{v:.2f}×" for v in values)
        return f"| {name} | {cells} | {'n/a' if not known else f'{statistics.median(known):.2f}×'} |"

    count = len(rounds)
    lines = [
        f"Over {count} rounds (each round: every load against both servers, then GET /ping at c=1):",
        "",
        "| ratio | " + " | ".join(f"round {i}" for i in range(1, count + 1)) + " | median |",
        "|---|" + "---:|" * (count + 1),
    ]
    bodies = rounds[0].bodies
    loads = sorted({(k[0], k[1]) for r in rounds for k in r.wrk})
    tools = (("wrk", lambda r: r.wrk, 0), ("per request", lambda r: r.hey, 1))
    for c, body in loads:
        for tool, runs, _ in tools:
            lines.append(row(f"c={c} {bodies.get(body, body)} p99 python÷image ({tool})", [
                quotient(runs(r).get((c, body, "python"), {}).get("p99"),
                         runs(r).get((c, body, "image"), {}).get("p99")) for r in rounds]))
    for c, body in [load for load in loads if load[0] == 1]:
        for tool, runs, ping in tools:
            values = []
            for r in rounds:
                image_ping = r.pings.get("image")
                values.append(quotient(runs(r).get((c, body, "image"), {}).get("p99"),
                                       image_ping[ping]["p99"] if image_ping else None))
            lines.append(row(f"c=1 {bodies.get(body, body)} image p99 ÷ image GET /ping p99 ({tool})", values))
    for c, body in [load for load in loads if load[0] == 1]:  # wrk only: hey's 0.1 ms steps put /ping's p50 at 0
        values = []
        for r in rounds:
            image, image_ping = r.wrk.get((c, body, "image"), {}), r.pings.get("image")
            values.append(quotient(quotient(image.get("p99"), image.get("p50")),
                                   quotient(image_ping[0]["p99"], image_ping[0]["p50"]) if image_ping else None))
        lines.append(row(f"c=1 {bodies.get(body, body)} image p99/p50 ÷ image GET /ping p99/p50 (wrk)", values))
    return lines


def main(results_dir):
    results = pathlib.Path(results_dir)
    round_dirs = sorted((d for d in results.glob("round-*") if d.is_dir()), key=lambda d: int(d.name[6:]))
    rounds = [round_table(d, results / "bodies") for d in round_dirs or [results]]
    problems = []
    for index, r in enumerate(rounds, 1):
        problems += [f"round {index}: {p}" for p in r.problems] if round_dirs else r.problems
        table = "\n".join(r.lines) + "\n"
        if round_dirs:
            (r.directory / "table.md").write_text(table)
            print(f"### Round {index}\n")
        print(table)
    errors = "Errors: " + ("; ".join(problems) if problems else
                           "none (no non-2xx responses, no socket errors, in any run).")
    print(errors)
    if round_dirs:
        table = "\n".join(summary(rounds)) + "\n"
        print()
        print(table, end="")
    (results / "table.md").write_text(table + "\n" + errors + "\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
