"""``python examples/portal/app.py`` as a new user runs it: it starts and serves sign-in."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

APP = Path(__file__).resolve().parents[2] / "examples" / "portal" / "app.py"


def test_app_starts_and_serves_the_sign_in_page() -> None:
    process = subprocess.Popen(
        [sys.executable, str(APP), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
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
        page = httpx.get(url + "/", follow_redirects=True, timeout=10)
        assert page.status_code == 200
        assert str(page.url).endswith("/signin")
        assert "The demo subscriber's token is" in page.text
        token = page.text.split('id="demo-token">')[1].split("<")[0]
        with httpx.Client(base_url=url, timeout=10) as browser:
            signed = browser.post("/signin", data={"token": token}, follow_redirects=True)
            assert signed.status_code == 200 and "Balance" in signed.text
    finally:
        process.terminate()
        process.wait(timeout=10)


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
