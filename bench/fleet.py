"""Fleet export: acme's lines × a year over HTTP on loopback, against a hand-written floor.

A server process (what ``selfcare serve`` runs: the fake, seed 42) serves the company's
manager; each measurement is a fresh process that exports the same lines to a fresh
directory:

  (a) the floor: ``httpx.AsyncClient`` + ``json.loads`` + pyarrow, written by hand: the same
      pages (1,000 records, ``Selfcare-Line`` header, following ``next_cursor``), the same
      Hive partitions (``line=…/month=…/part-0.parquet``, months in the account's zone), the
      same 8 lines at a time; columns as JSON gave them (strings, numbers), nothing typed;
  (b) the SDK: ``AsyncSelfcare.lines.export(DIR, since=..., lines=..., max_concurrency=8)``,
      typed records, exact decimals, zone-aware timestamps.

The server replays each line's history the first time it is read and, here, keeps it
(``FakeOperator(read_lines_kept=...)``; ``selfcare serve`` keeps a few and replays the
others again), so a first, untimed floor pass warms every line. Then, for each size asked
for, the floor and the SDK alternate for ``--rounds`` rounds, each export a fresh process,
and the best rows/s of each is printed, the SDK's as a ratio to the floor's (target: at
least 0.8x), with each side's peak RSS (the exporting process's ``ru_maxrss``). The SDK's
should stay flat from the smallest size to the largest, since an export holds a page per
line in flight, whatever the number of lines. Last, the server's own peak RSS.

    python bench/fleet.py                            # 10 and 100 lines, a few minutes
    python bench/fleet.py --lines 100,1000 --rounds 1  # the full run: long, and the
                                                     # server then holds a few GiB

The exit status is 0 whatever the figures: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PAGE = 1000
CONCURRENCY = 8
ZONE = ZoneInfo("Europe/Moscow")
"""The company's account zone: months are cut there."""


def numbers(count: int) -> list[str]:
    """The first ``count`` lines of the company (the manager's is the first)."""
    return [f"+7985700{index:04d}" for index in range(count)]


# -- the children: one export each, reporting rows, seconds and peak RSS ------------------


def flat_table(pa: Any, items: list[dict[str, Any]]) -> Any:
    """The columns the SDK writes, as the JSON gave them (strings; money as its amount)."""

    def amount(money: dict[str, str] | None) -> str | None:
        return None if money is None else money["amount"]

    volumes = [item["volume"] for item in items]
    columns = {
        "id": [item["id"] for item in items],
        "at": [item["at"] for item in items],
        "kind": [item["kind"] for item in items],
        "cost": [amount(item["cost"]) for item in items],
        "balance_after": [amount(item["balance_after"]) for item in items],
        "description": [item["description"] for item in items],
        "counterpart": [item["counterpart"] for item in items],
        "duration": [item["duration"] for item in items],
        "volume": [None if v is None else v["value"] for v in volumes],
        "volume_unit": [None if v is None else v["unit"] for v in volumes],
        "roaming_country": [item["roaming_country"] for item in items],
        "currency": [item["cost"]["currency"] for item in items],
    }
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


async def floor_export(url: str, token: str, lines: list[str], since: str, out: Path) -> int:
    import httpx
    import pyarrow as pa
    import pyarrow.parquet as pq

    limit = asyncio.Semaphore(CONCURRENCY)
    headers = {"Authorization": f"Bearer {token}"}

    async def one(http: httpx.AsyncClient, line: str) -> int:
        async with limit:
            params: dict[str, str | int] = {"limit": PAGE, "since": since}
            rows, month, writer = 0, None, None
            while True:
                response = await http.get(
                    "/v1/expenses", params=params, headers={"Selfcare-Line": line}
                )
                response.raise_for_status()
                data = json.loads(response.content)
                by_month: dict[str, list[dict[str, Any]]] = {}
                for item in data["items"]:
                    at = datetime.fromisoformat(item["at"]).astimezone(ZONE)
                    by_month.setdefault(f"{at:%Y-%m}", []).append(item)
                for key, items in by_month.items():  # newest first, as pages come
                    table = flat_table(pa, items)
                    if key != month:
                        if writer is not None:
                            writer.close()
                        folder = out / f"line={line}" / f"month={key}"
                        folder.mkdir(parents=True)
                        writer = pq.ParquetWriter(folder / "part-0.parquet", table.schema)
                        month = key
                    assert writer is not None
                    writer.write_table(table)
                    rows += table.num_rows
                if data["next_cursor"] is None:
                    break
                params["cursor"] = data["next_cursor"]
            if writer is not None:
                writer.close()
            return rows

    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60) as http:
        done = await asyncio.gather(*(one(http, line) for line in lines))
    return sum(done)


async def sdk_export(url: str, token: str, lines: list[str], since: str, out: Path) -> int:
    from selfcare import AsyncSelfcare

    async with AsyncSelfcare(base_url=url, token=token, timeout=60) as sc:
        summary = await sc.lines.export(
            out,
            since=datetime.fromisoformat(since),
            lines=lines,
            max_concurrency=CONCURRENCY,
            page_size=PAGE,
        )
    return summary.rows


def child(args: argparse.Namespace) -> None:
    token = os.environ.pop("SELFCARE_TOKEN")
    lines = numbers(args.lines)
    out = Path(tempfile.mkdtemp(prefix="fleet-bench-"))
    run = floor_export if args.child == "floor" else sdk_export
    try:
        start = time.perf_counter()
        rows = asyncio.run(run(args.url, token, lines, args.since, out))
        seconds = time.perf_counter() - start
    finally:
        shutil.rmtree(out, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mib": peak}))


# -- the parent: a server, then the children in turn --------------------------------------


def serve(args: argparse.Namespace) -> None:
    """The server child: what ``selfcare serve`` runs (the fake, seed 42, under uvicorn on
    127.0.0.1), its operator keeping every line it replayed, as ``selfcare serve`` keeps
    only a few: the timed exports then read warm lines, so the figures are the clients'."""
    import socket

    import uvicorn

    from selfcare.backends.fake import FakeOperator
    from selfcare.server import FakeResolver, create_app

    operator = FakeOperator(seed=42, read_lines_kept=args.lines)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    print(f"Base URL: http://127.0.0.1:{sock.getsockname()[1]}")
    print(f"  other subscriber acme: {operator.token('acme').reveal()}", flush=True)
    config = uvicorn.Config(
        create_app(FakeResolver(operator)), log_level="warning", proxy_headers=False
    )
    uvicorn.Server(config).run(sockets=[sock])


def start_server(lines: int) -> tuple[subprocess.Popen[str], str, str]:
    """The server child on a free port; its URL and the manager's token."""
    server = subprocess.Popen(
        [sys.executable, __file__, "--child", "serve", "--lines", str(lines)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert server.stdout is not None
    url = token = None
    for line in server.stdout:
        if line.startswith("Base URL:"):
            url = line.split(":", 1)[1].strip()
        elif line.strip().startswith("other subscriber acme:"):
            token = line.split(":", 1)[1].strip()
        if url and token:
            drain = server.stdout.read  # what it prints from now on must never block it
            threading.Thread(target=drain, daemon=True).start()
            return server, url, token
    raise SystemExit("the server did not start")


def measure(kind: str, url: str, token: str, lines: int, since: str) -> dict[str, float]:
    argv = ["--child", kind, "--url", url, "--lines", str(lines), "--since", since]
    result = subprocess.run(
        [sys.executable, __file__, *argv],
        env={**os.environ, "SELFCARE_TOKEN": token},
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def server_peak_mib(server: subprocess.Popen[str]) -> float | None:
    """The server's peak resident set (Linux ``VmHWM``), if the system says."""
    try:
        status = Path(f"/proc/{server.pid}/status").read_text()
    except OSError:
        return None
    for row in status.splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return None


def sizes(text: str) -> list[int]:
    """``--lines 100,1000``: the sizes to measure, each from 10 to 1,000 lines."""
    try:
        values = sorted({int(part) for part in text.split(",")})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--lines {text!r}: numbers separated by commas") from None
    if not values or not all(10 <= value <= 1000 for value in values):
        raise argparse.ArgumentTypeError(f"--lines {text!r}: each from 10 to 1000")
    return values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lines", default="10,100", help="sizes to measure, e.g. 100,1000 (each 10..1000)"
    )
    parser.add_argument("--rounds", type=int, default=2, help="floor/SDK rounds per size")
    parser.add_argument("--child", choices=("floor", "sdk", "serve"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--since", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.lines = int(args.lines)
        serve(args) if args.child == "serve" else child(args)
        return
    try:
        counts = sizes(args.lines)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))

    since = (datetime.now(UTC) - timedelta(days=365)).isoformat()
    server, url, token = start_server(counts[-1])
    try:
        start = time.perf_counter()
        warm = measure("floor", url, token, counts[-1], since)
        print(
            f"acme's lines, a year each, over HTTP on 127.0.0.1 ({os.cpu_count()} CPUs); "
            f"first pass (the server replays {counts[-1]} lines): "
            f"{warm['rows']:,.0f} rows in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        peaks: dict[int, float] = {}
        for count in counts:
            best: dict[str, float] = {"floor": 0.0, "sdk": 0.0}
            peak: dict[str, float] = {"floor": 0.0, "sdk": 0.0}
            rows = 0.0
            for _ in range(args.rounds):
                for kind in ("floor", "sdk"):
                    figures = measure(kind, url, token, count, since)
                    rows = rows or figures["rows"]
                    assert figures["rows"] == rows, (kind, figures, rows)
                    best[kind] = max(best[kind], figures["rows"] / figures["seconds"])
                    peak[kind] = max(peak[kind], figures["peak_mib"])
            ratio = best["sdk"] / best["floor"]
            verdict = "met" if ratio >= 0.8 else "MISSED"
            peaks[count] = peak["sdk"]
            print(f"{count} lines, {rows:,.0f} rows (best of {args.rounds}):", flush=True)
            print(
                f"  floor  {best['floor']:10,.0f} rows/s   1.00x floor   "
                f"peak RSS {peak['floor']:6.1f} MiB"
            )
            print(
                f"  sdk    {best['sdk']:10,.0f} rows/s   {ratio:.2f}x floor   "
                f"peak RSS {peak['sdk']:6.1f} MiB   target >= 0.8x: {verdict}",
                flush=True,
            )
        if len(counts) > 1:
            low, high = counts[0], counts[-1]
            print(f"sdk peak RSS from {low} to {high} lines: {peaks[high] - peaks[low]:+.1f} MiB")
        server_peak = server_peak_mib(server)
        if server_peak is not None:
            print(f"server peak RSS (it keeps every line it replayed): {server_peak:,.0f} MiB")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
