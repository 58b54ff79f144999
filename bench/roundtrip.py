#!/usr/bin/env python3
"""Sequential /invocations round-trips over one keep-alive connection: warm-up, then latency percentiles.

    python3 bench/roundtrip.py PORT GOLDEN_FILE [REQUESTS]

Sends the golden file's request REQUESTS times (default 2000) after 200 warm-up requests, checks every answer
is 200, and prints one line of milliseconds. Only talks to 127.0.0.1.
"""
import http.client
import json
import statistics
import sys
import time


def main():
    port, golden = int(sys.argv[1]), sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    with open(golden) as f:
        body = json.dumps(json.load(f)["request"]).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}

    def once():
        started = time.perf_counter()
        connection.request("POST", "/invocations", body, headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"status {response.status}")
        return (time.perf_counter() - started) * 1000

    for _ in range(200):
        once()
    samples = sorted(once() for _ in range(count))
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(f"{golden.rsplit('/', 1)[-1]}: {len(body)} B request, n={count}: mean {statistics.mean(samples):.3f} ms,"
          f" p50 {pick(0.50):.3f}, p90 {pick(0.90):.3f}, p99 {pick(0.99):.3f}, max {samples[-1]:.3f}")


if __name__ == "__main__":
    main()
