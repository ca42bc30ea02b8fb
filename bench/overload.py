#!/usr/bin/env python3
"""Overload run of POST /fhir/$assess (see bench/BENCHMARKS.md, "Overload"): N requests of a ~1 MiB Bundle sent at once,
each answer's status, Retry-After and time, then a small request to show the service answers normally after.

usage: bench/overload.py URL BODY_FILE SMALL_FILE [--concurrency 96] [--rounds 2] [--timeout 60]
"""
import argparse
import concurrent.futures
import statistics
import time
import urllib.error
import urllib.request


def post(url, body, timeout):
    start = time.monotonic()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/fhir+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, None, time.monotonic() - start
    except urllib.error.HTTPError as e:
        e.read()
        return e.code, e.headers.get("Retry-After"), time.monotonic() - start
    except Exception as e:  # time-outs and resets are what overload used to produce: count them
        return type(e).__name__, None, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("body")
    parser.add_argument("small")
    parser.add_argument("--concurrency", type=int, default=96)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    body = open(args.body, "rb").read()
    small = open(args.small, "rb").read()
    for round_ in range(1, args.rounds + 1):
        start = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
            results = list(pool.map(lambda _: post(args.url, body, args.timeout), range(args.concurrency)))
        wall = time.monotonic() - start
        counts = {}
        for status, _, _ in results:
            counts[status] = counts.get(status, 0) + 1
        times = sorted(t for _, _, t in results)
        retry = sorted({r for _, r, _ in results if r})
        print(f"round={round_} requests={len(results)} body_bytes={len(body)} wall_s={wall:.1f} "
              f"statuses={dict(sorted(counts.items(), key=str))} retry_after={retry} "
              f"time_s_p50={statistics.median(times):.1f} time_s_max={times[-1]:.1f}")
        status, _, elapsed = post(args.url, small, args.timeout)
        print(f"after round {round_}: small request -> {status} in {elapsed * 1000:.0f} ms")


if __name__ == "__main__":
    main()
