"""Start-up: ``import selfcare`` and ``selfcare --help`` against ``import httpx``.

Each measurement is a fresh interpreter (``sys.executable``, so the same site-packages and
``PYTHONPATH``), timed from spawn to exit. The floor, ``python -c "import httpx"``, runs in the
same rounds, interleaved with the others, so a machine that gets busier slows all three alike;
each figure is the median over the rounds and is printed as a ratio to the floor's median.
An empty interpreter (``python -c pass``) is shown too, for scale.

Targets: ``import selfcare`` at most 1.5x the floor, ``selfcare --help`` at most 2.5x.
``selfcare --fake balance`` (the fake replays the demo subscriber's year) and
``Selfcare.fake(subscriber='acme')`` (nobody replayed until used) are shown without a target.

    python bench/startup.py              # 15 rounds
    python bench/startup.py --rounds 31
    python bench/startup.py --modules    # and which heavy modules each command loaded

The exit status is 0 whatever the figures: this is a measurement, not a test (the test suite
checks what ``import selfcare`` loads, tests/test_packaging.py, never how long it takes).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CLI = "import sys; from selfcare.cli import main; sys.argv[0] = 'selfcare'; main()"
"""What the ``selfcare`` console script runs (``selfcare.cli:main``), without needing the
script on PATH or installed from this checkout."""

CASES: dict[str, list[str]] = {
    "python": ["-c", "pass"],
    "import httpx": ["-c", "import httpx"],
    "import selfcare": ["-c", "import selfcare"],
    "selfcare --help": ["-c", CLI, "--help"],
    "--fake balance": ["-c", CLI, "--fake", "balance"],
    "fake acme": ["-c", "from selfcare import Selfcare; Selfcare.fake(subscriber='acme')"],
}
FLOOR = "import httpx"
TARGETS = {"import selfcare": 1.5, "selfcare --help": 2.5}
HEAVY = (
    "selfcare.backends.fake",
    "selfcare.tmf",
    "selfcare.server",
    "selfcare._async._client",
    "httpx",
    "click",
    "rich",
    "vobject",
    "pandas",
    "pyarrow",
    "babel",
)


def run_once(args: list[str]) -> float:
    """Seconds from spawning a fresh interpreter with ``args`` to its exit."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    return time.perf_counter() - start


def loaded(args: list[str]) -> list[str]:
    """The heavy modules a case leaves in ``sys.modules``."""
    code = args[1] if args[0] == "-c" else "pass"
    probe = (
        "import atexit, json, sys\n"
        f"atexit.register(lambda: sys.__stderr__.write(json.dumps("
        f"[m for m in {list(HEAVY)!r} if m in sys.modules])))\n"
        f"{code}\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *args[2:]],
        capture_output=True,
        text=True,
        check=False,
    )
    names: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="fresh processes per case")
    parser.add_argument("--modules", action="store_true", help="list heavy modules loaded")
    args = parser.parse_args()

    for case in CASES.values():  # warm the file-system cache and the .pyc files first
        run_once(case)
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.rounds):
        for name, case in CASES.items():
            times[name].append(run_once(case))

    floor = statistics.median(times[FLOOR])
    print(
        f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {args.rounds} "
        f"fresh processes each, interleaved"
    )
    for name, samples in times.items():
        median = statistics.median(samples)
        ratio = median / floor
        target = TARGETS.get(name)
        verdict = (
            f"   target <= {target:.1f}x: {'met' if ratio <= target else 'MISSED'}"
            if target
            else ""
        )
        print(f"  {name:<16} {median * 1000:7.1f} ms   {ratio:5.2f}x {FLOOR}{verdict}")
    if args.modules:
        for name, case in CASES.items():
            print(f"  {name:<16} loads {', '.join(loaded(case)) or 'none of them'}")


if __name__ == "__main__":
    main()
