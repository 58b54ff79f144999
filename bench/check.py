#!/usr/bin/env python3
"""Correctness checks that bench/compare.sh runs before it measures anything. Standard library only.

    check.py golden URL GOLDEN_DIR [RTOL]    every GOLDEN_DIR/*.json request -> URL/invocations; the response
                                             must match the golden response (same names and shapes, every
                                             value within RTOL relative, default 1e-5). Exit 1 if not.
    check.py agree URL_A URL_B BODY...       each BODY file -> both servers; both must answer 200 with the same
                                             names and shapes; prints the largest relative difference.

URLs are like http://127.0.0.1:8080. Prints one line per case.
"""
import http.client
import json
import pathlib
import sys
import urllib.parse


def invoke(url, body):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("POST", "/invocations", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def flatten(value, path="", out=None):
    """Nested lists -> ({path: number}, shape signature) so shapes and values compare element by element."""
    out = {} if out is None else out
    if isinstance(value, list):
        for i, item in enumerate(value):
            flatten(item, f"{path}[{i}]", out)
    else:
        out[path] = value
    return out


def max_relative_error(actual, expected):
    """Largest |a - e| / |e| over all outputs (|e| floored at 1e-12); None if names or shapes differ."""
    if sorted(actual) != sorted(expected):
        return None
    worst = 0.0
    for name in expected:
        a, e = flatten(actual[name]), flatten(expected[name])
        if a.keys() != e.keys():
            return None
        for key in e:
            worst = max(worst, abs(a[key] - e[key]) / max(abs(e[key]), 1e-12))
    return worst


def golden(url, golden_dir, rtol=1e-5):
    failures = 0
    for path in sorted(pathlib.Path(golden_dir).glob("*.json")):
        case = json.loads(path.read_text())
        status, answer = invoke(url, json.dumps(case["request"]).encode())
        if status != 200:
            print(f"  {path.name:18} FAIL: status {status}: {answer[:200]!r}")
            failures += 1
            continue
        error = max_relative_error(json.loads(answer), case["response"])
        if error is None:
            print(f"  {path.name:18} FAIL: output names or shapes differ: {answer[:200]!r}")
            failures += 1
        else:
            verdict = "ok" if error <= rtol else "FAIL"
            failures += verdict != "ok"
            print(f"  {path.name:18} {verdict}: max relative error {error:.2e} (limit {rtol:.0e})")
    return 1 if failures else 0


def agree(url_a, url_b, bodies):
    failures = 0
    for body_path in bodies:
        body = pathlib.Path(body_path).read_bytes()
        (status_a, answer_a), (status_b, answer_b) = invoke(url_a, body), invoke(url_b, body)
        name = pathlib.Path(body_path).name
        if status_a != 200 or status_b != 200:
            print(f"  {name:18} FAIL: status {status_a} / {status_b}")
            failures += 1
            continue
        error = max_relative_error(json.loads(answer_a), json.loads(answer_b))
        if error is None:
            print(f"  {name:18} FAIL: output names or shapes differ")
            failures += 1
        else:
            print(f"  {name:18} both 200, same output names and shapes, max relative difference {error:.2e}")
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "golden":
        return golden(argv[1], argv[2], float(argv[3]) if len(argv) > 3 else 1e-5)
    if len(argv) >= 4 and argv[0] == "agree":
        return agree(argv[1], argv[2], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
