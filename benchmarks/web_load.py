"""Load benchmark of the web application (not a test): a realistic mix of users on loopback.

Starts ``speerpunt serve --workers N`` on a free port with a temporary SQLite database (or targets ``--url``),
creates accounts for the logged-in share of the users, warms every URL once (the app caches computations per
selection), measures one user as the reference, then each ``--users`` level of concurrent users (asyncio,
one keep-alive HTTP/1.1 connection each on raw streams: see :class:`Connection`) for ``--seconds``. The mix: region dashboards, sector and similar-regions pages, the screening
workbench (default and changed thresholds, JSON), the registry (actors, matrix, map, JSON) and the JSON/CSV
API; ``--logged-in`` of the users (20 % by default) are logged in, each with a session of its own. Prints
p50/p95/p99 latency, throughput, errors and the ratios against the one-user
reference measured in the same run, and whether p95 meets the target of its level (< 300 ms at 50 users,
< 1 s at 200, zero errors).

The client runs on the same two cores as the server, so it is kept lean (~0.1 ms of CPU per request); it
prints its own CPU per request next to the server's.

    python benchmarks/web_load.py --users 50 200 --seconds 30 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
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
#: Requests slower than this are listed after their level.
SLOW_MS = 2000.0
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


def descendants(pid: int | None) -> set[int]:
    """The process ids under ``pid`` (the server's workers and their helpers): a worker that uvicorn
    replaced during a level (it kills one that misses its health check) shows as a changed set."""
    if pid is None:
        return set()
    try:
        children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return set()
    return set(children).union(*(descendants(c) for c in children))


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


class Connection:
    """One visitor's keep-alive HTTP/1.1 connection on raw asyncio streams, with its own cookies.

    The load generator shares the two cores with the server, so each request must cost it little: a
    general client (httpx: request and response objects, header models, a connection pool, a cookie jar
    per client) spent about 1.3 ms of CPU per request, as much as the server. This one keeps, per URL,
    the request's bytes (rebuilt only when a cookie changes), reads the head with one ``readuntil`` and
    the body by its ``Content-Length`` (or chunks, or to the end when the server closes), and keeps the
    cookies the server sets (the anonymous session, a language) as a browser would. It sends what httpx
    sent (Host, Accept, Accept-Encoding, Connection, User-Agent, Cookie) and reconnects after an error or
    a ``Connection: close``.
    """

    __slots__ = ("host", "port", "cookies", "reader", "writer", "_requests")

    def __init__(self, base: str, cookies: dict[str, str] | None = None) -> None:
        host, _, port = base.removeprefix("http://").partition(":")
        self.host, self.port = host, int(port or 80)
        self.cookies: dict[str, str] = dict(cookies or {})
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self._requests: dict[str, bytes] = {}

    def _request(self, url: str) -> bytes:
        req = self._requests.get(url)
        if req is None:
            head = [
                f"GET {url} HTTP/1.1",
                f"Host: {self.host}:{self.port}",
                "Accept: */*",
                "Accept-Encoding: gzip, deflate",
                "Connection: keep-alive",
                "User-Agent: speerpunt-web-load",
            ]
            if self.cookies:
                head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            req = self._requests[url] = ("\r\n".join(head) + "\r\n\r\n").encode()
        return req

    def _set_cookie(self, value: bytes) -> None:
        pair, _, attributes = value.decode("latin-1").partition(";")
        name, _, val = pair.strip().partition("=")
        if "max-age=0" in attributes.lower().replace(" ", "") or not val:
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = val
        self._requests.clear()

    async def get(self, url: str) -> tuple[int, int]:
        """GET ``url``; (status, body length) once the last byte has arrived."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(self._request(url))
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head[:-4].split(b"\r\n")
        status = int(lines[0][9:12])
        length, chunked, close = -1, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
            elif name == b"set-cookie":
                self._set_cookie(value)
        if chunked:
            size = await self._chunked()
        elif length >= 0:
            size = len(await self.reader.readexactly(length))
        else:  # no length: the body ends when the server closes the connection
            size, close = len(await self.reader.read()), True
        if close:
            self.close()
        return status, size

    async def _chunked(self) -> int:
        size = 0
        while True:
            n = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if n == 0:
                await self.reader.readuntil(b"\r\n")  # no trailers are sent
                return size
            size += len(await self.reader.readexactly(n + 2)) - 2

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


#: What a failed request can raise: a refused or reset connection, a truncated or malformed answer.
FAILURES = (OSError, EOFError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError)


async def user(
    conn: Connection,
    offset: int,
    until: float,
    latencies: list[float],
    errors: list[str],
    slow: list[str],
    who: str,
) -> None:
    """One visitor with its own connection (and session when logged in), requesting the URLs in turn,
    no think time; latency from sending the request to the answer's last byte. Requests slower than
    ``SLOW_MS`` are noted (page, visitor, when) to tell a cold cache from a busy machine."""
    clock = time.perf_counter
    start = clock()
    n = len(URLS)
    i = offset
    while clock() < until:
        url = URLS[i % n]
        i += 1
        t0 = clock()
        try:
            status, size = await conn.get(url)
            ok = status == 200 and size > 0
        except FAILURES as exc:
            conn.close()
            ok, status = False, type(exc).__name__
        ms = (clock() - t0) * 1000
        latencies.append(ms)
        if ms > SLOW_MS:
            slow.append(f"{url} ({who}) at {t0 - start:.1f} s: {ms:.0f} ms")
        if not ok:
            errors.append(f"{url}: {status}")


async def run(base: str, users: int, seconds: float, sessions: list[dict[str, str]]) -> dict:
    """``users`` concurrent visitors for ``seconds``; the first ``len(sessions)`` are logged in.

    Every visitor's connection is opened before the clock starts, so the first latencies hold no
    connection set-up. A visitor still waiting 120 s after the end counts as an error."""
    conns = [Connection(base, sessions[k] if k < len(sessions) else None) for k in range(users)]
    for c in conns:
        c.reader, c.writer = await asyncio.open_connection(c.host, c.port)
    latencies: list[float] = []
    errors: list[str] = []
    slow: list[str] = []
    until = time.perf_counter() + seconds
    t0 = time.perf_counter()
    visitors = [
        asyncio.ensure_future(
            user(
                conns[k],
                k,
                until,
                latencies,
                errors,
                slow,
                "logged in" if k < len(sessions) else "anonymous",
            )
        )
        for k in range(users)
    ]
    _, late = await asyncio.wait(visitors, timeout=seconds + 120)
    for task in late:
        task.cancel()
        errors.append("no answer within 120 s after the end")
    elapsed = time.perf_counter() - t0
    for c in conns:
        c.close()
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
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "errors": len(errors),
        "first_errors": errors[:5],
        "slow": slow,
    }


async def warm_up(base: str, workers: int, sessions: list[dict[str, str]]) -> None:
    """Every URL on ``4 × workers`` connections of an anonymous reader and as many of a logged-in one
    (the benchmark's accounts all share one view), so that every worker has computed every page.

    A connection stays with the worker that accepted it, and which worker accepts is the kernel's
    choice: one pass over the URLs (as before) left a worker cold now and then, and the first level
    then measured its chart drawing (2 s a dashboard) instead of the steady state."""

    async def visit(conn: Connection) -> None:
        for url in URLS:
            status, _ = await conn.get(url)
            if status != 200:
                raise SystemExit(f"warming {url} answered {status}")
        conn.close()

    conns = [Connection(base, cookies) for cookies in [None, *sessions] for _ in range(4 * workers)]
    await asyncio.gather(*(visit(c) for c in conns))


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
            asyncio.run(warm_up(base, args.workers, sessions[:1]))
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
                workers0 = descendants(pid)
                load = os.getloadavg()[0]
                client0 = time.process_time()
                res = asyncio.run(run(base, n, args.seconds, logged))
                res["load"] = load
                # the load generator shares the cores: its own CPU per request shows its share
                res["client_cpu_ms"] = round(
                    (time.process_time() - client0) / max(res["requests"], 1) * 1000, 2
                )
                cpu1 = cpu_seconds(pid)
                res["replaced"] = len(workers0 - descendants(pid))
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
        f"p50 {single['p50_ms']:7.1f} ms, p95 {single['p95_ms']:7.1f} ms, p99 {single['p99_ms']:7.1f} ms"
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
            f"p99 {res['p99_ms']:7.1f} ms, max {res['max_ms']:7.1f} ms, "
            f"errors {res['errors']}{cpu}; load average {res['load']:.1f} on {os.cpu_count()} cores "
            f"before the run; target p95 < {target:.0f} ms: {verdict}"
        )
        if res["replaced"]:
            print(f"    {res['replaced']} server process(es) replaced during the run (caches lost)")
        if res["slow"]:
            shown = "; ".join(res["slow"][:5])
            print(
                f"    {len(res['slow'])} requests over {SLOW_MS / 1000:.0f} s, the first: {shown}"
            )
        if res["first_errors"]:
            print("    first errors: " + "; ".join(res["first_errors"]))


if __name__ == "__main__":
    main()
