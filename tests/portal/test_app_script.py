"""``python examples/portal/app.py`` as a new user runs it: it starts and serves sign-in."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

APP = Path(__file__).resolve().parents[2] / "examples" / "portal" / "app.py"


@contextlib.contextmanager
def _portal(*args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """``app.py`` with ``args`` in a subprocess; yields the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, str(APP), "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )
    try:
        url = None
        deadline = time.monotonic() + 30
        assert process.stdout is not None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("Portal: "):
                url = line.removeprefix("Portal: ").strip()
        assert url is not None and url.startswith("http://127.0.0.1:"), process.poll()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_app_starts_and_serves_the_sign_in_page() -> None:
    with _portal() as url:
        page = httpx.get(url + "/", follow_redirects=True, timeout=120)
        assert page.status_code == 200
        assert str(page.url).endswith("/signin")
        assert "The demo subscriber's token is" in page.text
        token = page.text.split('id="demo-token">')[1].split("<")[0]
        with _browser(url) as browser:
            form = browser.get("/signin")
            signed = browser.post("/signin", data={"token": token, "csrf_token": _csrf(form)})
            assert signed.status_code == 200 and "Balance" in signed.text


def _browser(url: str) -> httpx.Client:
    """Requests as the portal's own pages make them: from its origin, following redirects.
    The timeout is a safety net for a loaded machine, not a measure of anything."""
    return httpx.Client(base_url=url, timeout=120, follow_redirects=True, headers={"Origin": url})


def _csrf(page: httpx.Response) -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', page.text)[0]


def test_a_token_given_to_the_portal_is_offered_but_never_shown() -> None:
    """With --base-url, the token from SELFCARE_TOKEN (a real subscriber's) must not be
    published on the sign-in page: a button signs in with it on the server side (for visitors
    on this machine only: tests/portal/test_security.py tries it from elsewhere).

    It once failed under load (passing alone): it connected as soon as the address was
    printed, before the portal listened (see the test below), and it rendered the dashboard —
    a year of bills read from an API server in this very process, whose every log record the
    suite checks for secrets — within a 10 s client timeout. Now the portal listens before it
    prints, and the signed-in check is a light page."""
    from selfcare.backends.fake import FakeOperator, ManualClock
    from selfcare.server import FakeResolver, LiveServer, create_app
    from tests.conftest import NOW

    operator = FakeOperator(seed=42, clock=ManualClock(NOW))
    token = operator.token().reveal()
    with (
        LiveServer(create_app(FakeResolver(operator))) as api,
        _portal("--base-url", api.url, env={"SELFCARE_TOKEN": token}) as url,
        _browser(url) as browser,
    ):
        page = browser.get("/signin")
        assert page.status_code == 200 and 'id="use-preset"' in page.text
        assert token not in page.text and "demo subscriber" not in page.text
        wrong = browser.post("/signin", data={"token": "sc_nobody", "csrf_token": _csrf(page)})
        assert wrong.status_code == 401 and token not in wrong.text
        signed = browser.post(
            "/signin",
            data={"preset": "1", "csrf_token": _csrf(wrong)},
            follow_redirects=False,
        )
        assert signed.status_code == 303 and signed.headers["location"] == "/dashboard"
        forwarding = browser.get("/forwarding")
        assert forwarding.url.path == "/forwarding" and "Call forwarding" in forwarding.text
        assert token not in signed.text + forwarding.text


def test_the_portal_listens_before_it_prints_its_address(
    portal_module: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Whoever reads "Portal: <url>" can connect at once, however long uvicorn then takes to
    start: a socket that is bound but not listening refuses connections, a listening one
    queues them. ``main()`` runs here with uvicorn replaced by a check made at the moment it
    would start serving."""
    import uvicorn

    seen: list[str] = []

    def run(server: uvicorn.Server, sockets: list[socket.socket]) -> None:
        host, port = sockets[0].getsockname()[:2]
        try:
            with socket.create_connection((host, port), timeout=120):  # a safety net
                seen.append("connected")
        except ConnectionRefusedError:
            seen.append("refused")

    monkeypatch.setattr(uvicorn.Server, "run", run)
    assert portal_module.main(["--port", "0", "--base-url", "http://127.0.0.1:9"]) == 0
    assert capsys.readouterr().out.startswith("Portal: http://127.0.0.1:")
    assert seen == ["connected"]


def test_app_reports_a_busy_port() -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, str(APP), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
