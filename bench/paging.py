"""Paging throughput: typed SDK iteration against raw httpx + json, on replayed pages.

200,000 expense records are rendered once as the reference server renders them (pages of
1,000, with cursors), then replayed from memory by an httpx transport, so the server's own
speed is not what is measured. We time:

  (a) the floor: raw httpx + ``json.loads`` into dicts, following ``next_cursor``;
  (b) ``Selfcare(...).expenses.list()`` into typed model objects, sync and async;

and print records/s, the ratio (b)/(a), and the memory of a 50k and a 200k run, each in a
fresh process that loads the recorded pages and iterates them once: its peak RSS, how much
that peak grew while iterating, and the peak of Python allocations while iterating
(tracemalloc). One end-to-end figure against the live reference server on 127.0.0.1 follows.

    python bench/paging.py            # everything
    python bench/paging.py --records 50000 --only sdk-sync   # one measurement of memory
"""

from __future__ import annotations

import argparse
import asyncio
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
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


def render_pages(records: int) -> tuple[dict[str, bytes], bytes]:
    """The pages the server would send for ``records`` expenses, keyed by request cursor."""
    operator = FakeOperator(seed=42)
    demo = operator.subscriber()
    seeds = list(demo.expenses)
    account = encode_result(demo.account)
    newest = seeds[-1].at
    pages: dict[str, bytes] = {}
    cursor = ""
    for start in range(0, records, PAGE):
        items = []
        for n in range(start, min(start + PAGE, records)):
            seed = seeds[n % len(seeds)]
            items.append(
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
            )
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


def end_to_end() -> tuple[int, float]:
    from selfcare.server import FakeResolver, LiveServer, create_app

    operator = FakeOperator(seed=42)
    operator.issue_random_tokens()  # as selfcare serve does: a listening fake never has the seed's
    with (
        LiveServer(create_app(FakeResolver(operator))) as server,
        Selfcare(base_url=server.url, token=operator.token()) as sc,
    ):
        sc.account.get()
        started = time.perf_counter()
        count = sum(1 for _ in sc.expenses.list(page_size=PAGE))
        return count, time.perf_counter() - started


MEASURES = {"floor": floor, "sdk-sync": sdk_sync, "sdk-async": sdk_async}


def best_of(fn, pages, account, repeat: int) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    best = float("inf")
    count = 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = fn(pages, account)
        best = min(best, time.perf_counter() - started)
    return count, best


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
    args = parser.parse_args()

    if args.only:  # one measurement of memory, in a process of its own
        if args.pages:
            with open(args.pages, "rb") as file:
                pages, account = pickle.load(file)
        else:
            pages, account = render_pages(args.records)
        one_measurement(pages, account, args.only)
        return

    pages, account = render_pages(args.records)
    results = {name: best_of(fn, pages, account, args.repeat) for name, fn in MEASURES.items()}
    floor_rate = results["floor"][0] / results["floor"][1]
    print(f"{args.records:,} records in pages of {PAGE}, best of {args.repeat}")
    for name, (count, seconds) in results.items():
        rate = count / seconds
        print(f"  {name:10} {rate:>12,.0f} records/s   ratio {rate / floor_rate:.2f}x floor")

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
    count, seconds = end_to_end()
    print(
        f"  end to end against the live reference server: {count:,} records "
        f"in {seconds:.2f} s = {count / seconds:,.0f} records/s"
    )


if __name__ == "__main__":
    main()
