"""``python examples/portal/app.py`` as a new user runs it: it starts and serves sign-in."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

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
        page = httpx.get(url + "/", follow_redirects=True, timeout=10)
        assert page.status_code == 200
        assert str(page.url).endswith("/signin")
        assert "The demo subscriber's token is" in page.text
        token = page.text.split('id="demo-token">')[1].split("<")[0]
        with httpx.Client(base_url=url, timeout=10) as browser:
            signed = browser.post("/signin", data={"token": token}, follow_redirects=True)
            assert signed.status_code == 200 and "Balance" in signed.text


def test_a_token_given_to_the_portal_is_offered_but_never_shown() -> None:
    """With --base-url, the token from SELFCARE_TOKEN (a real subscriber's) must not be
    published on the sign-in page: a button signs in with it on the server side."""
    from selfcare.backends.fake import FakeOperator
    from selfcare.server import FakeResolver, LiveServer, create_app

    operator = FakeOperator(seed=42)
    token = operator.token().reveal()
    with (
        LiveServer(create_app(FakeResolver(operator))) as api,
        _portal("--base-url", api.url, env={"SELFCARE_TOKEN": token}) as url,
        httpx.Client(base_url=url, timeout=10, follow_redirects=True) as browser,
    ):
        page = browser.get("/signin")
        assert page.status_code == 200 and 'id="use-preset"' in page.text
        assert token not in page.text and "demo subscriber" not in page.text
        wrong = browser.post("/signin", data={"token": "sc_nobody"})
        assert wrong.status_code == 401 and token not in wrong.text
        signed = browser.post("/signin", data={"preset": "1"})
        assert signed.url.path == "/dashboard" and "Balance" in signed.text
        assert token not in signed.text


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
            timeout=30,
        )
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
