#!/usr/bin/env python3
"""Turns the raw wrk outputs of bench/compare.sh into a markdown table. Standard library only.

    report.py RESULTS_DIR    reads RESULTS_DIR/wrk-c<C>-<body>-<python|image>.txt, prints the table and
                             writes it to RESULTS_DIR/table.md. Exit 1 if any run had non-2xx responses,
                             socket errors, or no output to parse.

Ratios are "higher is better for the image": image req/s / python req/s, python p99 / image p99,
python p50 / image p50.
"""
import pathlib
import re
import sys

UNITS_MS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
NAME = re.compile(r"wrk-c(\d+)-(b\d+)-(python|image)\.txt$")


def parse(text):
    """wrk --latency output -> dict(rps, p50, p99 in ms, requests, non2xx, socket errors)."""
    def latency(percent):
        m = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.M)
        return float(m.group(1)) * UNITS_MS[m.group(2)] if m else None

    rps = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    requests = re.search(r"^\s+(\d+) requests in", text, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    return {
        "rps": float(rps.group(1)) if rps else None,
        "p50": latency(50), "p99": latency(99),
        "requests": int(requests.group(1)) if requests else 0,
        "non2xx": int(non2xx.group(1)) if non2xx else 0,
        "sockets": sockets.group(0) if sockets else None,
    }


def ms(value):
    return "n/a" if value is None else (f"{value * 1000:.0f} µs" if value < 1 else f"{value:.2f} ms")


def ratio(a, b):
    return "n/a" if not a or not b else f"{a / b:.2f}×"


def main(results_dir):
    results = pathlib.Path(results_dir)
    runs = {}
    for path in results.glob("wrk-*.txt"):
        m = NAME.search(path.name)
        if m:
            runs[(int(m.group(1)), m.group(2), m.group(3))] = parse(path.read_text())
    bodies = {}
    for body in sorted({k[1] for k in runs}):
        body_file = results / "bodies" / f"{body}.json"
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
    lines.append("")
    lines.append("Errors: " + ("; ".join(problems) if problems else
                               "none (no non-2xx responses, no socket errors, in any run)."))
    table = "\n".join(lines) + "\n"
    (results / "table.md").write_text(table)
    print(table, end="")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
