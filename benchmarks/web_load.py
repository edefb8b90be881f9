"""Load benchmark of the web application (not a test): many concurrent users on loopback.

Starts ``speerpunt serve`` on a free port with a temporary SQLite database (or targets ``--url``), warms
the cache with each URL once (the app caches pure computations per data set and parameters), measures a
single user as the reference, then ``--users`` concurrent users (asyncio + httpx) for ``--seconds``
against the region dashboard, the sector page and the JSON API. Prints p50/p95 latency, throughput,
errors and the ratios against the single-user reference measured in the same run.

    python benchmarks/web_load.py --users 50 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

URLS = [
    "/region?region=BE21",
    "/region?region=BE10&reference=BE",
    "/region?region=BE23",
    "/sector?region=BE21&sector=F",
    "/api/lq?region=BE21&reference=BE&year=2018",
    "/api/indicators?region=BE21",
    "/api/lq-map?sector=F&region=BE21",
    "/api/lq?region=BE25&reference=BE&year=2018&format=csv",
]
TARGET_P95_MS = 300.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process (Linux /proc), to separate the server's cost from the client's."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, TypeError, ValueError, IndexError):
        return None


def start_server(tmp: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, SPEERPUNT_ADMIN_PASSWORD="bench-admin-password")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from speerpunt.cli.main import main; main()",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp / 'bench.sqlite'}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the server stopped during start-up")
        try:
            if httpx.get(base + "/login", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the server did not start within 300 s")


async def user(
    base: str, offset: int, until: float, latencies: list[float], errors: list[str]
) -> None:
    """One visitor with its own connection and cookies, requesting the URLs in turn without pause."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await _visit(client, offset, until, latencies, errors)


async def _visit(
    client: httpx.AsyncClient, offset: int, until: float, latencies: list[float], errors: list[str]
) -> None:
    i = offset
    while time.perf_counter() < until:
        url = URLS[i % len(URLS)]
        i += 1
        t0 = time.perf_counter()
        try:
            r = await client.get(url)
            ok = r.status_code == 200 and len(r.content) > 0
        except httpx.HTTPError as exc:
            ok, r = False, type(exc).__name__
        latencies.append((time.perf_counter() - t0) * 1000)
        if not ok:
            errors.append(f"{url}: {getattr(r, 'status_code', r)}")


async def run(base: str, users: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    t0 = time.perf_counter()
    await asyncio.gather(*(user(base, k, until, latencies, errors) for k in range(users)))
    elapsed = time.perf_counter() - t0
    q = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    return {
        "users": users,
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "throughput": round(len(latencies) / elapsed, 1),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument(
        "--reference-seconds",
        type=float,
        default=None,
        help="length of the single-user reference run (default: a sixth of --seconds, ≥ 5 s)",
    )
    ap.add_argument("--url", help="an already running server (default: start one)")
    ap.add_argument(
        "--pid", type=int, help="process id of the --url server, to report its CPU per request"
    )
    args = ap.parse_args()
    proc = None
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if args.url:
                base = args.url.rstrip("/")
            else:
                proc, base = start_server(Path(tmp))
            warm = time.perf_counter()
            for url in URLS:  # first computation of each selection; later requests hit the cache
                httpx.get(base + url, timeout=600).raise_for_status()
            print(
                f"web load: server at {base}; cache warmed in {time.perf_counter() - warm:.1f} s "
                f"({len(URLS)} URLs: region dashboards, sector page, JSON/CSV API)"
            )
            ref_seconds = args.reference_seconds or max(5.0, args.seconds / 6)
            pid = proc.pid if proc is not None else args.pid
            single = asyncio.run(run(base, 1, ref_seconds))
            cpu0 = cpu_seconds(pid)
            load = asyncio.run(run(base, args.users, args.seconds))
            cpu1 = cpu_seconds(pid)
            if cpu0 is not None and cpu1 is not None and load["requests"]:
                load["server_cpu_ms"] = round((cpu1 - cpu0) / load["requests"] * 1000, 2)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    for name, res in (("1 user (reference)", single), (f"{args.users} users", load)):
        print(
            f"  {name:>20}: {res['requests']:6d} requests in {res['seconds']:5.1f} s "
            f"({res['throughput']:6.1f}/s), p50 {res['p50_ms']:7.1f} ms, p95 {res['p95_ms']:7.1f} ms, "
            f"errors {res['errors']}"
        )
    ratio50 = load["p50_ms"] / single["p50_ms"] if single["p50_ms"] else float("nan")
    ratio95 = load["p95_ms"] / single["p95_ms"] if single["p95_ms"] else float("nan")
    if "server_cpu_ms" in load:
        print(
            f"  server CPU per request under load: {load['server_cpu_ms']} ms "
            f"(the rest of the latency is queueing behind the client and other processes on the machine)"
        )
    verdict = "met" if load["p95_ms"] < TARGET_P95_MS and load["errors"] == 0 else "NOT met"
    print(
        f"  ratio {args.users} users / 1 user: p50 ×{ratio50:.1f}, p95 ×{ratio95:.1f}; "
        f"throughput ×{load['throughput'] / single['throughput']:.1f}"
    )
    print(f"  target p95 < {TARGET_P95_MS:.0f} ms with zero errors: {verdict}")
    if load["first_errors"]:
        print("  first errors: " + "; ".join(load["first_errors"]))


if __name__ == "__main__":
    main()
