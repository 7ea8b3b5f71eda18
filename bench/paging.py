"""Paging throughput: typed SDK iteration against raw httpx + json, on replayed pages, and
end to end through the reference server.

200,000 expense records are rendered once as the reference server renders them (pages of
1,000, with cursors), then replayed from memory by an httpx transport, so the server's own
speed is not what is measured. We time:

  (a) the floor: raw httpx + ``json.loads`` into dicts, following ``next_cursor``;
  (b) ``Selfcare(...).expenses.list()`` into typed model objects, sync and async;
  (c) the sync client paging through the same records served by the reference server:
      ``selfcare serve`` (the same app and uvicorn settings) in a process of its own on
      127.0.0.1, serving the fake operator holding those records, as a sandbox's user runs
      it (``--server thread``: its app in a thread of this process instead, as the test
      suite's ``LiveServer`` runs it);

in rounds that run each once in turn (best of ``--repeat``), and print records/s, the
ratio (b)/(a) and (c)/(b sync), each with its target (``TARGETS``: met or MISSED) and
also per CPU second (all threads of this process, plus the server's process, read from
/proc, for (c): on a machine shared with other jobs, waiting for a CPU is not counted),
and under each served pass what a page took against a replayed one and the server's CPU a
page. The server keeps the JSON of the pages it served, so
(c) is printed twice, each the best of the rounds: a first pass (each round pages a
history the server never served: the fake holds one copy of the records per round, for
subscribers of the demo's zone, so every page is encoded) and a repeated one (the same
history again). The fixtures (the recorded pages; with ``--server thread`` the served
fake's records) are frozen out of the garbage collector's reach before timing
(``--no-freeze`` leaves them): a client process would not hold the server's records, and the full
collections its pages trigger would otherwise scan them. Then the memory of a 50k and a
200k run, each in a fresh process that loads the recorded pages and iterates them once:
its peak RSS, how much that peak grew while iterating, and the peak of Python allocations
while iterating (tracemalloc).

    python bench/paging.py            # everything
    python bench/paging.py --no-memory   # the rates only
    python bench/paging.py --server thread --no-memory   # the server in this process
    python bench/paging.py --records 50000 --only sdk-sync   # one measurement of memory
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import json
import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import httpx

from selfcare import AsyncSelfcare, Expense, Money, Selfcare
from selfcare._client.paging import Page, encode_cursor
from selfcare.backends import AsyncHttpBackend, HttpBackend
from selfcare.backends.fake import FakeOperator
from selfcare.protocol._codec import encode_result

PAGE = 1000
BASE = "http://bench.local"
TARGETS = {"sdk-sync": 0.8, "sdk-async": 0.8, "first pass": 0.7, "repeated": 0.7}
"""The ratios each run is held to: typed paging against the floor (the standing target), and
paging through the server against sdk-sync on replayed pages (issue 19)."""


def expense_records(records: int) -> list[Expense]:
    """``records`` expenses, newest first, cycling through the demo subscriber's seeded ones."""
    demo = FakeOperator(seed=42).subscriber()
    seeds = list(demo.expenses)
    newest = seeds[-1].at
    return [
        Expense(
            id=f"e{records - n:09d}",
            at=newest - timedelta(minutes=7 * n),
            kind=seed.kind,
            cost=seed.cost,
            balance_after=Money(Decimal(-n) / 100, "RUB"),
            description=seed.description,
            counterpart=seed.counterpart,
            duration=seed.duration,
            volume=seed.volume,
            roaming_country=seed.roaming_country,
        )
        for n, seed in ((n, seeds[n % len(seeds)]) for n in range(records))
    ]


def render_pages(records: int) -> tuple[dict[str, bytes], bytes]:
    """The pages the server would send for ``records`` expenses, keyed by request cursor."""
    expenses = expense_records(records)
    account = encode_result(FakeOperator(seed=42).subscriber().account)
    pages: dict[str, bytes] = {}
    cursor = ""
    for start in range(0, records, PAGE):
        items = expenses[start : start + PAGE]
        last = items[-1]
        more = start + PAGE < records
        next_cursor = encode_cursor(last.at, last.id) if more else None
        pages[cursor] = encode_result(Page(tuple(items), next_cursor))
        cursor = next_cursor or ""
    return pages, account


def replay(pages: dict[str, bytes], account: bytes):  # type: ignore[no-untyped-def]
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/account":
            return httpx.Response(200, content=account)
        cursor = parse_qs(request.url.query.decode()).get("cursor", [""])[0]
        return httpx.Response(
            200, content=pages[cursor], headers={"content-type": "application/json"}
        )

    return handler


def floor(pages: dict[str, bytes], account: bytes) -> int:
    count = 0
    with httpx.Client(base_url=BASE, transport=httpx.MockTransport(replay(pages, account))) as http:
        params: dict[str, str | int] = {"limit": PAGE}
        while True:
            data = json.loads(http.get("/v1/expenses", params=params).content)
            for _item in data["items"]:
                count += 1
            if data.get("next_cursor") is None:
                return count
            params["cursor"] = data["next_cursor"]


def sdk_sync(pages: dict[str, bytes], account: bytes) -> int:
    backend = HttpBackend(BASE, "t", transport=httpx.MockTransport(replay(pages, account)))
    with Selfcare(backend) as sc:
        return sum(1 for _ in sc.expenses.list(page_size=PAGE))


def sdk_async(pages: dict[str, bytes], account: bytes) -> int:
    async def run() -> int:
        transport = httpx.MockTransport(replay(pages, account))
        async with AsyncSelfcare(AsyncHttpBackend(BASE, "t", transport=transport)) as sc:
            count = 0
            async for _ in sc.expenses.list(page_size=PAGE):
                count += 1
            return count

    return asyncio.run(run())


HISTORIES = ("demo", "oleg", "family", "family-member", "acme")
"""The fake's subscribers in the demo's zone and currency, one per round: each holds its own
copy of the records, so each round's first pass pages a history the server never served."""


def served_operator(records: int, histories: int) -> FakeOperator:
    """The fake operator in which each of the first ``histories`` subscribers of
    :data:`HISTORIES` holds its own copy of the same ``records`` expenses as the replayed
    pages (other objects: no page kept for one is ever served for another), with random
    tokens as ``selfcare serve`` issues them."""
    from selfcare.backends.fake._ledger import Ledger

    operator = FakeOperator(seed=42)
    operator.issue_random_tokens()  # as selfcare serve does: a listening fake never has the seed's
    for key in HISTORIES[:histories]:
        ledger: Ledger[Expense] = Ledger()
        for expense in reversed(expense_records(records)):
            ledger.add(expense)
        operator.subscriber(key).expenses = ledger
    return operator


def history_tokens(operator: FakeOperator, histories: int) -> list[str]:
    """The bearer tokens of the served histories, in the order of the rounds."""
    return [operator.token(key).reveal() for key in HISTORIES[:histories]]


def serve(records: int, histories: int) -> None:
    """Be ``selfcare serve`` holding ``histories`` copies of ``records`` expenses: the same
    app and uvicorn settings, in this process of its own. Says its URL and the histories'
    tokens on the first line of stdout."""
    from selfcare.server import FakeResolver, base_url, bind, create_app, serve_forever

    operator = served_operator(records, histories)
    sock = bind("127.0.0.1", 0)
    tokens = history_tokens(operator, histories)
    print(json.dumps({"url": base_url(sock), "tokens": tokens}), flush=True)
    # uvicorn's access log goes to stdout, which nobody reads past the first line
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    serve_forever(create_app(FakeResolver(operator)), sock)


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system, all threads) of process ``pid`` so far (Linux's /proc;
    NaN elsewhere, which leaves the per-CPU figure out)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


Passes = tuple[Callable[[], int], Callable[[], int], Callable[[], float]]
"""A first pass through a history the server never served, the same history again, and the
server's CPU seconds so far."""


def passes(clients: list[Selfcare], server_cpu: Callable[[], float]) -> Passes:
    """Paging with the sync client: each first pass with the next of ``clients`` (one per
    history), each repeated pass with the client of the last first pass."""
    turn = iter(clients)
    current = clients[0]

    def first() -> int:
        nonlocal current
        current = next(turn)
        return again()

    def again() -> int:
        return sum(1 for _ in current.expenses.list(page_size=PAGE))

    for client in clients:
        client.account.get()  # connected, as the replayed runs are once their client exists
    return first, again, server_cpu


@contextlib.contextmanager
def served(records: int, histories: int, where: str) -> Iterator[Passes]:
    """The reference server serving the fake with ``histories`` copies of the same
    ``records`` expenses as the replayed pages: ``selfcare serve`` in a process of its own
    (``where="process"``, what a sandbox's user runs) or its app under uvicorn in a thread
    of this one (``"thread"``, as the test suite's ``LiveServer``). Yields the
    :func:`passes` through them; the server's CPU seconds are 0 in a thread (this process's
    own clock counts its threads)."""
    with contextlib.ExitStack() as stack:
        if where == "thread":
            from selfcare.server import FakeResolver, LiveServer, create_app

            operator = served_operator(records, histories)
            server = stack.enter_context(LiveServer(create_app(FakeResolver(operator))))
            url, cpu = server.url, lambda: 0.0
            tokens = history_tokens(operator, histories)
        else:
            command = [sys.executable, __file__, "--serve", str(records), str(histories)]
            child = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
            )
            stack.callback(child.wait, timeout=30)
            stack.callback(child.terminate)
            assert child.stdout is not None
            hello = json.loads(child.stdout.readline() or "null")
            if hello is None:
                raise RuntimeError("the server process did not start")
            url, tokens = hello["url"], hello["tokens"]
            cpu = functools.partial(process_cpu, child.pid)
        clients = [stack.enter_context(Selfcare(base_url=url, token=t)) for t in tokens]
        yield passes(clients, cpu)


MEASURES = {"floor": floor, "sdk-sync": sdk_sync, "sdk-async": sdk_async}


Timing = tuple[int, float, float, float]
"""Records, and the wall-clock and CPU seconds of a run (this process's threads, plus the
server's process when it has one of its own), and of those the server's process's own."""


def rounds(
    runs: dict[str, Callable[[], int]], repeat: int, other_cpu: Callable[[], float]
) -> dict[str, list[Timing]]:
    """Each run's timing in each of ``repeat`` rounds that run each once in turn (so a
    change in the machine's load falls on all of them alike). ``other_cpu`` is the CPU
    another process (the server's) has used so far, counted in every run's CPU."""
    timings: dict[str, list[Timing]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            started, cpu, other = time.perf_counter(), time.process_time(), other_cpu()
            count = run()
            wall = time.perf_counter() - started
            other = other_cpu() - other
            cpu = time.process_time() - cpu + other
            timings[name].append((count, wall, cpu, other))
    return timings


def best(timings: list[Timing]) -> Timing:
    """The best wall-clock and CPU seconds of some runs (and the server's, of the run with
    the best wall-clock)."""
    fastest = min(timings, key=lambda timing: timing[1])
    return (timings[0][0], fastest[1], min(timing[2] for timing in timings), fastest[3])


def verdict(name: str, ratio: float) -> str:
    """Whether ``ratio`` meets ``name``'s target, said after its figures ("" without one)."""
    target = TARGETS.get(name)
    if target is None:
        return ""
    return f"   target >= {target:.1f}x: {'met' if ratio >= target else 'MISSED'}"


def peak_rss_mib() -> float:
    """The process's peak resident set size so far: VmHWM on Linux (ru_maxrss there keeps
    the parent's peak across fork and exec), ru_maxrss (bytes) on macOS."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 2**10
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def measure_memory(path: str, only: str) -> dict[str, float]:
    """Iterate the pages recorded in ``path`` once, in a fresh process, and report its
    memory: the pages it holds are loaded first, so what grows after that is the client's."""
    out = subprocess.run(
        [sys.executable, __file__, "--pages", path, "--only", only],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {key: float(value) for key, value in (part.split("=") for part in out.split())}


def one_measurement(pages: dict[str, bytes], account: bytes, only: str) -> None:
    rss_before = peak_rss_mib()
    tracemalloc.start()
    count = MEASURES[only](pages, account)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = peak_rss_mib()
    print(
        f"records={count} peak_mib={peak / 2**20:.2f} rss_mib={rss_peak:.1f} "
        f"rss_growth_mib={rss_peak - rss_before:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(MEASURES))
    parser.add_argument("--pages", help="recorded pages to load (written by a full run)")
    parser.add_argument(
        "--server",
        choices=("process", "thread"),
        default="process",
        help="run the served measurement's server in a process of its own (selfcare serve, "
        "the default) or in a thread of this one",
    )
    parser.add_argument("--serve", type=int, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--no-memory", action="store_true", help="rates only, no memory runs")
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="leave the fixtures (the served fake's records) to the garbage collector",
    )
    args = parser.parse_args()

    if args.serve is not None:  # the server's process of a served measurement
        serve(*args.serve)
        return
    if args.only:  # one measurement of memory, in a process of its own
        if args.pages:
            with open(args.pages, "rb") as file:
                pages, account = pickle.load(file)
        else:
            pages, account = render_pages(args.records)
        one_measurement(pages, account, args.only)
        return

    pages, account = render_pages(args.records)
    if args.repeat > len(HISTORIES):
        parser.error(f"--repeat {args.repeat}: at most {len(HISTORIES)} (a fresh history a round)")
    with served(args.records, args.repeat, args.server) as (first, again, server_cpu):
        if not args.no_freeze:
            # The fixtures stay for the whole run, and (with the server in this process)
            # the served fake's records, about a million objects a history, are the
            # server's, which a client process would not hold: the full collections the
            # client's pages trigger must not scan them each time.
            gc.freeze()
        runs = {name: functools.partial(fn, pages, account) for name, fn in MEASURES.items()}
        served_runs = {"first pass": first, "repeated": again}
        timings = rounds({**runs, **served_runs}, args.repeat, server_cpu)
    results = {name: best(each) for name, each in timings.items()}
    rates = {name: count / wall for name, (count, wall, _, _) in results.items()}
    per_cpu = {name: count / cpu for name, (count, _, cpu, _) in results.items()}
    print(f"{args.records:,} records in pages of {PAGE}, best of {args.repeat}")
    for name in MEASURES:
        ratio = rates[name] / rates["floor"]
        print(
            f"  {name:10} {rates[name]:>12,.0f} records/s   ratio {ratio:.2f}x floor   "
            f"(per CPU second: {per_cpu[name] / per_cpu['floor']:.2f}x){verdict(name, ratio)}"
        )
    where = (
        "selfcare serve in a process of its own"
        if args.server == "process"
        else "its app in a thread of this process"
    )
    print(f"  end to end through the reference server ({where}; sync client, the same records):")
    replayed = 1000 * PAGE / rates["sdk-sync"]
    for label in served_runs:
        count, wall, cpu, server = results[label]
        cpu_ratio = (count / cpu) / per_cpu["sdk-sync"]
        ratio = count / wall / rates["sdk-sync"]
        print(
            f"    {label:10} {count / wall:>12,.0f} records/s = "
            f"{ratio:.2f}x sdk-sync on replayed pages   "
            f"(per CPU second, client and server: {cpu_ratio:.2f}x){verdict(label, ratio)}"
        )
        page = 1000 * PAGE * wall / count
        spent = f", the server's CPU {1000 * PAGE * server / count:.1f} ms" if server else ""
        print(
            f"               a page {page:.1f} ms against {replayed:.1f} ms replayed: "
            f"{page - replayed:.1f} ms more{spent}"
        )
    if args.no_memory:
        return

    print("  memory of one iteration in a fresh process holding the recorded pages:")
    with tempfile.TemporaryDirectory() as tmp:
        recorded = {}
        for records in (50_000, 200_000):
            recorded[records] = f"{tmp}/{records}.pickle"
            with open(recorded[records], "wb") as file:
                rendered = (pages, account) if records == args.records else render_pages(records)
                pickle.dump(rendered, file)
        for only in ("floor", "sdk-sync", "sdk-async"):
            figures = [measure_memory(recorded[n], only) for n in (50_000, 200_000)]
            print(
                f"    {only:9}  peak RSS {figures[0]['rss_mib']:6.1f} MiB at 50k, "
                f"{figures[1]['rss_mib']:6.1f} MiB at 200k; grew while iterating "
                f"{figures[0]['rss_growth_mib']:.1f} / {figures[1]['rss_growth_mib']:.1f} MiB; "
                f"Python peak {figures[0]['peak_mib']:.2f} / {figures[1]['peak_mib']:.2f} MiB"
            )


if __name__ == "__main__":
    main()
