"""Many subscribers at once on the example portal: a bounded asyncio driver.

Two processes on loopback: selfcare's reference server on the fake operator (the app
``selfcare serve`` runs, with the fake's limits made generous: every simulated user signs in
from 127.0.0.1 through the portal, which the server's per-address sign-in throttle would
otherwise hold to 40 at once) and the portal in front of it. This process drives N
subscribers concurrently, each as a browser would, with its own cookies:

    GET /signin, POST /signin/password, GET /dashboard, GET /expenses,
    GET /messages, POST /messages/send (one SMS to a typed number)

and prints, per N (10, 100, 500 by default): requests/s, p50/p95 latency, errors, the
portal's memory per signed-in user (its RSS after minus before, over N), and how many
connections the portal holds to the API server: the clients of all users share one pool
(``AsyncSelfcare(http_client=...)``, at most 50 connections), so it stays bounded however
many sign in. Requests beyond those 50 queue in front of the pool for up to the portal's
``POOL_WAIT`` (60 s; ``--pool-wait`` changes it), then get the 503 "operator busy" page.

    python bench/portal_load.py                 # 10, 100 and 500 users
    python bench/portal_load.py --users 10,100  # fewer
    python bench/portal_load.py --users 500 --pool-wait 600

Errors are counted by kind with the portal's own words (the error on its page). Each
simulated person has their own connection to the portal, as a browser has, dropped when
idle for 2 s, before uvicorn's 5 s keep-alive closes it: otherwise a request sent just as
uvicorn closes the connection fails as ReadError or RemoteProtocolError, a race of this
driver (httpx does not resend a request on a dropped keep-alive connection), not the portal.

All users are the demo subscriber (the fake has three), with the portal's
``sessions_per_subscriber`` raised so that none pushes another out.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
NUMBER = "+79165550123"
PASSWORD = "demo-password-1"

API = """
import sys
import uvicorn
from selfcare.backends.fake import FakeOperator, RateLimits
from selfcare.server import FakeResolver, bind, base_url, create_app
operator = FakeOperator(seed=42, limits=RateLimits.generous())
sock = bind("127.0.0.1", 0)
sock.listen(2048)
print(base_url(sock), flush=True)
app = create_app(FakeResolver(operator))
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
"""

PORTAL = """
import sys
sys.path.insert(0, {portal_dir!r})
import uvicorn
import app as portal
from selfcare.server import bind, base_url
wait = float(sys.argv[2]) if len(sys.argv) > 2 else portal.POOL_WAIT
web = portal.create_portal(
    portal.http_connect(sys.argv[1], pool_wait=wait),
    sessions_per_subscriber=100_000,
    max_sessions=100_000,
    secret_key="bench",
)
sock = bind("127.0.0.1", 0)
sock.listen(4096)
print(base_url(sock), flush=True)
uvicorn.Server(uvicorn.Config(web, log_level="warning", lifespan="on")).run(sockets=[sock])
"""


def start(code: str, *args: str) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True, env=env
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http"):
        process.kill()
        raise SystemExit(f"a server did not start: {url!r}")
    return process, url


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def connections_to(port: int) -> int:
    """Established TCP connections (from anyone on this machine) to ``port``: only the
    portal talks to the API server."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            remote, state = fields[2], fields[3]
            if state == "01" and int(remote.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ERROR = re.compile(r'role="alert"[^>]*>([^<]+)<')


class Stats:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.kinds: dict[str, int] = {}

    def failed(self, why: str) -> None:
        self.errors += 1
        self.kinds[why] = self.kinds.get(why, 0) + 1


async def subscriber(
    transport: httpx.AsyncHTTPTransport, base: str, stats: Stats, n: int, timeout: float
) -> None:
    """One person: sign in, dashboard, expenses, send an SMS (their own cookie jar)."""
    http = httpx.AsyncClient(
        transport=transport, base_url=base, headers={"Origin": base}, timeout=timeout
    )

    async def request(method: str, path: str, **kwargs: object) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            answer = await http.request(method, path, **kwargs)  # type: ignore[arg-type]
        except httpx.HTTPError as exc:
            stats.failed(type(exc).__name__)
            return None
        stats.latencies.append(time.perf_counter() - started)
        if answer.status_code >= 400:
            said = ERROR.search(answer.text)  # the portal's own words on what went wrong
            why = f": {html.unescape(said.group(1))[:120]}" if said else ""
            stats.failed(f"{method} {path} {answer.status_code}{why}")
            return None
        return answer

    page = await request("GET", "/signin")
    if page is None:
        return
    token = CSRF.search(page.text)
    form = {"number": NUMBER, "password": PASSWORD, "csrf_token": token.group(1) if token else ""}
    signed = await request("POST", "/signin/password", data=form)
    if signed is None:
        return
    if signed.headers.get("location") != "/dashboard":
        stats.failed("sign-in did not lead to the dashboard")
        return
    await request("GET", "/dashboard")
    await request("GET", "/expenses")
    page = await request("GET", "/messages")
    if page is None:
        return
    token = CSRF.search(page.text)
    sms = {
        "numbers": f"+7 903 555-{n // 100 % 100:02d}-{n % 100:02d}",
        "text": f"Load test {n}",
        "priority": "normal",
        "csrf_token": token.group(1) if token else "",
    }
    await request("POST", "/messages/send", data=sms)


async def run(
    base: str, users: int, portal_pid: int, api_port: int, timeout: float = 300.0
) -> None:
    before = rss_kib(portal_pid)
    stats = Stats()
    # One connection per person, as each browser has its own; idle ones are dropped after
    # 2 s, before uvicorn's 5 s keep-alive closes them under a request being sent (a race
    # that httpx reports as ReadError or RemoteProtocolError: the driver's, not the portal's).
    transport = httpx.AsyncHTTPTransport(
        limits=httpx.Limits(
            max_connections=users, max_keepalive_connections=users, keepalive_expiry=2.0
        )
    )
    peak = 0

    async def sample() -> None:  # the most connections to the API server at any moment
        nonlocal peak
        while True:
            peak = max(peak, connections_to(api_port))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    await asyncio.gather(*(subscriber(transport, base, stats, n, timeout) for n in range(users)))
    elapsed = time.perf_counter() - started
    sampler.cancel()
    await transport.aclose()
    after = rss_kib(portal_pid)
    lat = sorted(stats.latencies)
    p50 = statistics.median(lat) if lat else float("nan")
    p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan")
    per_user = (after - before) / users
    print(
        f"{users:>5} users  {len(lat) / elapsed:7.1f} req/s  p50 {p50 * 1000:7.1f} ms  "
        f"p95 {p95 * 1000:8.1f} ms  errors {stats.errors:>4}  "
        f"memory/user {per_user:7.1f} KiB (portal RSS {after / 1024:.0f} MiB)  "
        f"portal→API connections at most {peak}",
        flush=True,
    )
    for why, count in sorted(stats.kinds.items()):
        print(f"        {count} × {why}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--users", default="10,100,500", help="comma-separated (default %(default)s)"
    )
    parser.add_argument(
        "--pool-wait",
        type=float,
        help="seconds the portal lets a request queue for an API connection (default: the "
        "portal's POOL_WAIT, 60): past it the user gets a 503 'operator busy' page",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="seconds a simulated person waits for a page (default %(default)s, as a browser)",
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.users.split(",")]
    api, api_url = start(API)
    wait = [] if args.pool_wait is None else [str(args.pool_wait)]
    portal, portal_url = start(
        PORTAL.format(portal_dir=str(ROOT / "examples" / "portal")), api_url, *wait
    )
    api_port = int(api_url.rsplit(":", 1)[1].rstrip("/"))
    try:
        for _ in range(50):  # until uvicorn serves (the socket already listens)
            try:
                httpx.get(portal_url + "/signin", timeout=30)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        print(f"portal {portal_url} → selfcare server {api_url} (one pool of at most 50)")
        for users in counts:
            asyncio.run(run(portal_url, users, portal.pid, api_port, args.timeout))
    finally:
        for process in (portal, api):
            process.terminate()
            process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
