"""Load benchmark of the web application (not a test): a realistic mix of users on loopback.

Starts ``speerpunt serve --workers N`` on a free port with a temporary SQLite database (or targets ``--url``),
creates accounts for the logged-in share of the users, warms every URL once (the app caches computations per
selection), measures one user as the reference, then each ``--users`` level of concurrent users (asyncio +
httpx) for ``--seconds``. The mix: region dashboards, sector and similar-regions pages, the screening
workbench (default and changed thresholds, JSON), the registry (actors, matrix, map, JSON) and the JSON/CSV
API; ``--logged-in`` of the users (20 % by default) are logged in, so their pages are never served from the
anonymous page cache. Prints p50/p95 latency, throughput, errors and the ratios against the one-user
reference measured in the same run, and whether p95 meets the target of its level (< 300 ms at 50 users,
< 1 s at 200, zero errors).

The client runs on the same two cores as the server: at 200 users a good part of each latency is the client.

    python benchmarks/web_load.py --users 50 200 --seconds 30 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import ssl
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
    "/region?region=BE22&start=2010&end=2018",
    "/sector?region=BE21&sector=F",
    "/similar?region=BE23",
    "/screening?region=BE21",
    "/screening?region=BE22&th_specialised=1.2",
    "/api/screening?region=BE23",
    "/registry",
    "/registry/matrix",
    "/registry/map?province=prov-antwerpen&sector=logistics",
    "/api/registry/actors",
    "/api/lq?region=BE21&reference=BE&year=2018",
    "/api/indicators?region=BE21",
    "/api/map?sector=F&region=BE21",
    "/api/lq?region=BE25&reference=BE&year=2018&format=csv",
]
#: p95 target per number of users (the issue's goal); levels in between use the next higher one.
TARGETS_MS = {50: 300.0, 200: 1000.0}
ADMIN_PASSWORD = "bench-admin-password"
USER_PASSWORD = "bench-user-password-123"
GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU time of a process and all its running descendants (the worker processes; Linux
    /proc), to separate the server's cost from the client's."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, ValueError, IndexError):
        return None
    return own + sum(cpu_seconds(int(c)) or 0.0 for c in children)


def start_server(tmp: Path, workers: int) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = dict(os.environ, SPEERPUNT_ADMIN_PASSWORD=ADMIN_PASSWORD)
    geo = ["--geo-dir", str(GEO)] if GEO.is_dir() else []
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
            "--workers",
            str(workers),
            *geo,
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


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(base: str, name: str, password: str) -> dict[str, str]:
    """Log in through the form; returns the session cookies."""
    with httpx.Client(base_url=base, timeout=60) as c:
        token = _csrf(c.get("/login").text)
        r = c.post("/login", data={"username": name, "password": password, "csrf_token": token})
        if r.status_code != 303:
            raise SystemExit(f"login of {name} failed: {r.status_code}")
        return dict(c.cookies)


def create_users(base: str, n: int) -> list[dict[str, str]]:
    """``n`` viewer accounts (through the admin API), each logged in once: their session cookies."""
    admin = login(base, "admin", ADMIN_PASSWORD)
    with httpx.Client(base_url=base, timeout=60, cookies=admin) as c:
        c.headers["X-CSRF-Token"] = _csrf(c.get("/login").text)
        for k in range(n):
            r = c.post(
                "/api/users",
                json={
                    "username": f"bench{k}",
                    "password": USER_PASSWORD,
                    "role": "viewer",
                    "actors": [],
                },
            )
            if r.status_code not in (201, 409):
                raise SystemExit(f"could not create bench{k}: {r.status_code} {r.text[:200]}")
    return [login(base, f"bench{k}", USER_PASSWORD) for k in range(n)]


async def user(
    client: httpx.AsyncClient,
    offset: int,
    until: float,
    latencies: list[float],
    errors: list[str],
) -> None:
    """One visitor with its own connection (and session when logged in), requesting the URLs in turn."""
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


async def run(base: str, users: int, seconds: float, sessions: list[dict[str, str]]) -> dict:
    """``users`` concurrent visitors for ``seconds``; the first ``len(sessions)`` are logged in.

    The clients are made before the clock starts, sharing one TLS context: each ``httpx.AsyncClient``
    otherwise loads the certificate bundle (~10–20 ms of CPU), which at 200 users put seconds of the
    load generator's own work into the first requests' latencies (plain HTTP needs none of it)."""
    tls = ssl.create_default_context()
    clients = [
        httpx.AsyncClient(
            base_url=base,
            timeout=120,
            verify=tls,
            cookies=sessions[k] if k < len(sessions) else None,
        )
        for k in range(users)
    ]
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    t0 = time.perf_counter()
    try:
        await asyncio.gather(*(user(clients[k], k, until, latencies, errors) for k in range(users)))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    elapsed = time.perf_counter() - t0
    q = (
        statistics.quantiles(latencies, n=100, method="inclusive")
        if len(latencies) > 1
        else latencies * 99
    )
    return {
        "users": users,
        "logged_in": min(len(sessions), users),
        "requests": len(latencies),
        "seconds": round(elapsed, 1),
        "throughput": round(len(latencies) / elapsed, 1),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "errors": len(errors),
        "first_errors": errors[:5],
    }


def page_latencies(base: str, repeat: int = 3) -> dict[str, float]:
    """Median latency of each URL requested alone (anonymous, caches warm): the floor under the load."""
    out = {}
    with httpx.Client(base_url=base, timeout=120) as c:
        for url in URLS:
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                c.get(url).raise_for_status()
                times.append((time.perf_counter() - t0) * 1000)
            out[url] = statistics.median(times)
    return out


def target_for(users: int) -> float:
    return next(
        (ms for n, ms in sorted(TARGETS_MS.items()) if users <= n), max(TARGETS_MS.values())
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, nargs="+", default=[50, 200])
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--logged-in", type=float, default=0.2, help="share of logged-in users")
    ap.add_argument("--workers", type=int, default=2, help="server worker processes")
    ap.add_argument("--reference-seconds", type=float, default=5.0)
    ap.add_argument(
        "--without-registry",
        action="store_true",
        help="leave the registry pages out of the mix (to see their share of the cost)",
    )
    ap.add_argument("--url", help="an already running server (default: start one)")
    ap.add_argument(
        "--pid", type=int, help="process id of the --url server, to report its CPU per request"
    )
    args = ap.parse_args()
    if args.without_registry:
        URLS[:] = [u for u in URLS if "registry" not in u]
    proc = None
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            if args.url:
                base = args.url.rstrip("/")
            else:
                proc, base = start_server(Path(tmp), args.workers)
            sessions = create_users(base, round(max(args.users) * args.logged_in))
            warm = time.perf_counter()
            for _ in range(args.workers):  # each worker computes each selection once
                for url in URLS:
                    httpx.get(base + url, timeout=600).raise_for_status()
            print(
                f"web load: server at {base} ({args.workers} workers); cache warmed in "
                f"{time.perf_counter() - warm:.1f} s ({len(URLS)} URLs: dashboards, sector, similar, "
                f"screening, registry, JSON/CSV API); {args.logged_in:.0%} of the users logged in"
            )
            pid = proc.pid if proc is not None else args.pid
            pages = page_latencies(base)
            single = asyncio.run(run(base, 1, args.reference_seconds, []))
            for n in args.users:
                logged = sessions[: round(n * args.logged_in)]
                cpu0 = cpu_seconds(pid)
                load = os.getloadavg()[0]
                client0 = time.process_time()
                res = asyncio.run(run(base, n, args.seconds, logged))
                res["load"] = load
                # the load generator shares the cores: its own CPU per request shows its share
                res["client_cpu_ms"] = round(
                    (time.process_time() - client0) / max(res["requests"], 1) * 1000, 2
                )
                cpu1 = cpu_seconds(pid)
                if cpu0 is not None and cpu1 is not None and res["requests"]:
                    res["server_cpu_ms"] = round((cpu1 - cpu0) / res["requests"] * 1000, 2)
                results.append(res)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    print("  one request at a time, median of 3 (warm caches), per page:")
    for url, ms in pages.items():
        print(f"    {ms:7.1f} ms  {url}")
    print(
        f"  {'1 user (reference)':>26}: {single['requests']:6d} requests, "
        f"p50 {single['p50_ms']:7.1f} ms, p95 {single['p95_ms']:7.1f} ms"
    )
    for res in results:
        target = target_for(res["users"])
        verdict = "met" if res["p95_ms"] < target and res["errors"] == 0 else "NOT met"
        cpu = f", server CPU {res['server_cpu_ms']} ms/request" if "server_cpu_ms" in res else ""
        cpu += f", client CPU {res['client_cpu_ms']} ms/request"
        print(
            f"  {res['users']:>4} users ({res['logged_in']:>3} logged in): {res['requests']:6d} requests "
            f"in {res['seconds']:5.1f} s ({res['throughput']:6.1f}/s), p50 {res['p50_ms']:7.1f} ms, "
            f"p95 {res['p95_ms']:7.1f} ms (×{res['p95_ms'] / single['p95_ms']:.1f} the one-user p95), "
            f"errors {res['errors']}{cpu}; load average {res['load']:.1f} on {os.cpu_count()} cores "
            f"before the run; target p95 < {target:.0f} ms: {verdict}"
        )
        if res["first_errors"]:
            print("    first errors: " + "; ".join(res["first_errors"]))


if __name__ == "__main__":
    main()
