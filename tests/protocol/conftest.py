"""``selfcare serve --test-hooks`` in a subprocess on 127.0.0.1, one per session, as another
team's CI would run it (the sandbox tests and the generated clients drive it over HTTP)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest

START_TIMEOUT = 60.0
SRC = Path(__file__).resolve().parents[2] / "src"
ARGS = ["--seed", "42", "serve", "--port", "0", "--test-hooks"]
"""What the tests run: ``selfcare --seed 42 serve --port 0 --test-hooks``."""


@attrs.frozen
class Served:
    """A running ``selfcare serve``: its base URL and the subscribers' API tokens."""

    url: str
    token: str
    """The demo subscriber's token."""
    others: dict[str, str]
    """The other subscribers' tokens by key."""

    def reset(self) -> None:
        """Put the served fake back to its seed (the ``/v1/_test/reset`` hook)."""
        answer = httpx.post(f"{self.url}/v1/_test/reset", timeout=30)
        assert answer.status_code == 200, answer.text


def _start() -> tuple[subprocess.Popen[str], list[str]]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH")]))
    process = subprocess.Popen(
        [sys.executable, "-c", "from selfcare.cli import main; main()", *ARGS],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    lines: list[str] = []

    def drain() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))

    threading.Thread(target=drain, daemon=True).start()
    return process, lines


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    """``selfcare --seed 42 serve --port 0 --test-hooks``, up until the session ends."""
    process, lines = _start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            found = {
                key: line.partition(": ")[2]
                for line in list(lines)
                for key in ("Base URL", "Token")
                if line.startswith(f"{key}:")
            }
            if "Base URL" in found and "Token" in found:
                try:
                    if httpx.get(f"{found['Base URL']}/v1/openapi.json").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("selfcare serve did not start:\n" + "\n".join(lines[-20:]))
            time.sleep(0.05)
        others = {
            line.split()[2].rstrip(":"): line.rpartition(": ")[2]
            for line in lines
            if line.strip().startswith("other subscriber")
        }
        yield Served(url=found["Base URL"], token=found["Token"], others=others)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
